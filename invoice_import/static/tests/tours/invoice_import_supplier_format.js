/** @odoo-module **/
// A supplier's invoice format and sender addresses on the contact form: what is set, adding a sender, and the
// format's own form reached from there (its kind, its suppliers).
// Data: invoice_import/tests/test_browser_tours.py (test_supplier_format_and_senders).
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("invoice_import_supplier_format", {
    steps: () => [
        {
            content: "The supplier's form",
            trigger: ".o_form_view .o_field_widget[name='name'] input:value(ACME Industrial GmbH)",
        },
        {
            content: "Open the Sales & Purchase tab",
            trigger: ".o_notebook .nav-link:contains(Sales & Purchase)",
            run: "click",
        },
        {
            content: "Its Supplier Invoice Import section",
            trigger: ".o_notebook .tab-pane.active .o_horizontal_separator:contains(Supplier Invoice Import)",
        },
        {
            content: "names the supplier's format",
            trigger: ".o_field_widget[name='invoice_import_format_id'] input:value(ACME Industrial GmbH (CSV export))",
        },
        {
            content: "Import Invoices Automatically is ticked",
            trigger: ".o_field_widget[name='invoice_import_auto'] input:checked",
        },
        {
            content: "It says in a sentence what of the supplier's bills is posted automatically, and why",
            trigger: ".o_invoice_import_autopost_policy:contains(Bills from ACME Industrial GmbH are posted automatically (Import invoices automatically))",
        },
        {
            content: "and says where the invoices are received",
            trigger: "label:contains(Invoices Are Received At)",
        },
        {
            content: "The senders list has its column title",
            trigger: ".o_field_widget[name='invoice_import_sender_ids'] th:contains(Invoice Senders)",
        },
        {
            content: "the sender address",
            trigger: ".o_field_widget[name='invoice_import_sender_ids'] .o_data_row:contains(rechnungen@acme.example)",
        },
        {
            content: "and the sender domain",
            trigger: ".o_field_widget[name='invoice_import_sender_ids'] .o_data_row:contains(@acme-billing.example)",
        },
        {
            content: "Add a sender",
            trigger: ".o_field_widget[name='invoice_import_sender_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Type its address",
            trigger: ".o_field_widget[name='invoice_import_sender_ids'] .o_selected_row .o_field_widget[name='email'] input",
            run: "edit ap@acme.example",
        },
        {
            content: "Save the supplier",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved: three senders",
            trigger: ".o_form_view:not(:has(.o_form_button_save:visible)) .o_field_widget[name='invoice_import_sender_ids'] .o_data_row:contains(ap@acme.example)",
        },
        {
            content: "Point at the format",
            trigger: ".o_field_widget[name='invoice_import_format_id'] input",
            run: "click",
        },
        {
            content: "Open the format from the supplier",
            trigger: ".o_field_widget[name='invoice_import_format_id'] .o_external_button",
            run: "click",
        },
        {
            content: "The format's form: its name",
            trigger: ".o_form_view .oe_title .o_field_widget[name='name'] input:value(ACME Industrial GmbH (CSV export))",
        },
        {
            content: "its kind",
            trigger: ".o_form_view .o_field_widget[name='kind']:contains(CSV column map)",
        },
        {
            content: "the Try on a File button",
            trigger: ".o_form_view .o_statusbar_buttons button:contains(Try on a File)",
        },
        {
            content: "One supplier uses it",
            trigger: ".o_form_view .oe_stat_button:contains(Suppliers) .o_stat_value:contains(1)",
            run: "click",
        },
        {
            content: "That supplier is ACME",
            trigger: ".o_list_view .o_data_row:contains(ACME Industrial GmbH)",
        },
    ],
});
