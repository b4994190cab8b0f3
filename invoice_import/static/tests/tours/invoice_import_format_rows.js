/** @odoo-module **/
// A supplier format edited as fields: a column changed in the list of rows, saved, the JSON behind it (shown in
// developer mode) follows, and Try on a File reads with the new mapping. Data: invoice_import/tests/
// test_browser_tours.py (test_a_format_edited_as_fields), which stores the sample file the tour picks.
import { registry } from "@web/core/registry";
import { closeTryOnFile, openTryOnFile, pickSampleFile, saveFormat } from "@invoice_import/../tests/tours/format_steps";

const rows = ".o_form_view .o_field_widget[name='field_ids']";

registry.category("web_tour.tours").add("invoice_import_format_rows", {
    steps: () => [
        {
            content: "The format's form",
            trigger: ".o_form_view .oe_title .o_field_widget[name='name'] input:value(ACME Industrial GmbH (CSV export))",
        },
        {
            content: "Its fields, labelled, with the column each is read from",
            trigger: `${rows} .o_data_row:contains(Invoice number):contains(Rechnungsnr)`,
        },
        {
            content: "no internal key among them",
            trigger: `${rows}:not(:contains(invoice_number)):not(:contains(po_reference))`,
        },
        {
            content: "The file's settings as fields",
            trigger: ".o_form_view .o_field_widget[name='csv_encoding'] input:value(cp1252)",
        },
        {
            content: "Open the purchase order's row",
            trigger: `${rows} .o_data_row:contains(Purchase order) td[name='value']`,
            run: "click",
        },
        {
            content: "Read it from the customer column instead",
            trigger: `${rows} .o_selected_row td[name='value'] input`,
            run: "edit Kunde",
        },
        ...saveFormat(),
        {
            content: "The row says the new column",
            trigger: `${rows} .o_data_row:contains(Purchase order):contains(Kunde)`,
        },
        {
            content: "Developer mode shows the JSON behind it",
            trigger: ".o_form_view .nav-link:contains(Definition)",
            run: "click",
        },
        {
            content: "with the change",
            trigger: '.o_form_view .o_field_widget[name=\'definition\']:contains("po_reference": "Kunde")',
        },
        openTryOnFile(),
        pickSampleFile("acme_invoices.csv", "text/csv"),
        {
            content: "The purchase order is now read from the customer column",
            trigger: ".modal .o_field_widget[name='fields_html'] tr:contains(Purchase order):contains(Müller Maschinenbau GmbH)",
        },
        ...closeTryOnFile(),
    ],
});
