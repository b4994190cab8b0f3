/** @odoo-module **/
// Try on a File: a supplier's format tried on a sample file, what it reads shown field by field and line by line,
// nothing saved. Data: invoice_import/tests/test_browser_tours.py (test_try_a_format_on_a_sample_file), which
// stores the sample as an attachment that the file input is given, as a user would pick it.
import { registry } from "@web/core/registry";
import { closeTryOnFile, openTryOnFile, pickSampleFile } from "@invoice_import/../tests/tours/format_steps";

registry.category("web_tour.tours").add("invoice_import_try_format", {
    steps: () => [
        {
            content: "The format's form",
            trigger: ".o_form_view .oe_title .o_field_widget[name='name'] input:value(ACME Industrial GmbH (CSV export))",
        },
        openTryOnFile(),
        {
            content: "The dialog names the format tried",
            trigger: ".modal .o_field_widget[name='format_id']:contains(ACME Industrial GmbH (CSV export))",
        },
        pickSampleFile("acme_invoices.csv", "text/csv"),
        {
            content: "The file's name is shown",
            trigger: ".modal .o_field_widget[name='file'] input:value(acme_invoices.csv)",
        },
        {
            content: "Two invoices were read",
            trigger: ".modal .o_field_widget[name='invoice_count']:contains(2)",
        },
        {
            content: "The first invoice's fields, by name",
            trigger: ".modal .o_field_widget[name='fields_html'] h5:contains(RE-2024-0117)",
        },
        {
            content: "with its total in euros",
            trigger: ".modal .o_field_widget[name='fields_html'] tr:contains(Total):contains(385.44):contains(€)",
        },
        {
            content: "labelled, the document type in words, dates in the user's format",
            trigger: ".modal .o_field_widget[name='fields_html'] tr:contains(Document type):has(td:contains(Invoice)):not(:contains(credit_note))",
        },
        {
            content: "no key of the engine's JSON nor ISO date",
            trigger: ".modal .o_field_widget[name='fields_html']:contains(Invoice date):not(:contains(invoice_number)):not(:contains(2024-03-05))",
        },
        {
            content: "and the second invoice",
            trigger: ".modal .o_field_widget[name='fields_html'] h5:contains(RE-2024-0118)",
        },
        {
            content: "No error",
            trigger: ".modal:not(:has(.alert-danger:visible))",
        },
        {
            content: "Open the Lines tab",
            trigger: ".modal .nav-link:contains(Lines)",
            run: "click",
        },
        {
            content: "The lines read, accents intact, under labelled columns",
            trigger: ".modal .o_field_widget[name='lines_html']:has(th:contains(Unit price)) td:contains(Drehmomentschlüssel)",
        },
        {
            content: "The definition tried is the format's",
            trigger: ".modal .nav-link:contains(Definition)",
            run: "click",
        },
        {
            content: "its column map",
            trigger: ".modal .o_field_widget[name='definition']:contains(Rechnungsnr)",
        },
        {
            content: "It can be saved to the format",
            trigger: ".modal-footer button:contains(Save to Format)",
        },
        ...closeTryOnFile(),
    ],
});
