/** @odoo-module **/
// The imported documents that wait for a person, reached through the menus: Documents to Review (a bill read with
// low confidence) and Failed (a file that could not be read, with the reason).
// Data: invoice_import/tests/test_browser_tours.py (test_documents_to_review).
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("invoice_import_documents_to_review", {
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Purchase",
            trigger: ".o_app[data-menu-xmlid='purchase.menu_purchase_root']",
            run: "click",
        },
        {
            content: "Supplier Invoices",
            trigger: "button[data-menu-xmlid='invoice_import.invoice_import_menu_root']",
            run: "click",
        },
        {
            content: "Documents to Review",
            trigger: ".dropdown-item[data-menu-xmlid='invoice_import.invoice_import_document_menu_to_review']",
            run: "click",
        },
        {
            content: "The uploaded PDF waits for a review, with its invoice number",
            trigger: ".o_list_view .o_data_row:contains(GL-R001.pdf):contains(GL-R001):contains(To Review)",
        },
        {
            content: "The file that failed is not among them",
            trigger: ".o_list_view:not(:has(.o_data_row:contains(scrambled.pdf)))",
        },
        {
            content: "Open it",
            trigger: ".o_list_view .o_data_row:contains(GL-R001.pdf) td[name='file_name']",
            run: "click",
        },
        {
            content: "Its state: to review",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(To Review)",
        },
        {
            content: "The fields to check are named",
            trigger: ".o_form_view .tab-pane.active:contains(Check:) .o_field_widget[name='low_confidence_fields']",
        },
        {
            content: "and the confidence per field",
            trigger: ".o_form_view .o_field_widget[name='confidence_html'] table:contains(Invoice number)",
        },
        {
            content: "It read the PDF's text",
            trigger: ".o_form_view .o_field_widget[name='source']:contains(PDF text)",
        },
        {
            content: "Open its bill",
            trigger: ".o_form_view .oe_stat_button:contains(Bill)",
            run: "click",
        },
        {
            content: "The bill asks for a check before confirming",
            trigger: ".o_form_view .alert-warning:contains(Imported from a file: check the highlighted fields)",
        },
        {
            content: "with the same invoice number",
            trigger: ".o_form_view .o_field_widget[name='ref'] input:value(GL-R001)",
        },
        {
            content: "Supplier Invoices",
            trigger: "button[data-menu-xmlid='invoice_import.invoice_import_menu_root']",
            run: "click",
        },
        {
            content: "Failed",
            trigger: ".dropdown-item[data-menu-xmlid='invoice_import.invoice_import_document_menu_failed']",
            run: "click",
        },
        {
            content: "The list says why it failed in words, not the code",
            trigger: ".o_list_view .o_data_row:contains(scrambled.pdf):contains(The PDF cannot be parsed):not(:contains(corrupt_pdf))",
        },
        {
            content: "The unreadable file is kept",
            trigger: ".o_list_view .o_data_row:contains(scrambled.pdf):contains(Failed) td[name='file_name']",
            run: "click",
        },
        {
            content: "Its form says why it failed",
            trigger: ".o_form_view .alert-danger .o_field_widget[name='error_message'] span:not(:empty)",
        },
        {
            content: "in words first",
            trigger: ".o_form_view .alert-danger .o_field_widget[name='error_reason']:contains(The PDF cannot be parsed)",
        },
        {
            content: "and keeps the file",
            trigger: ".o_form_view .o_field_widget[name='file_name']:contains(scrambled.pdf)",
        },
    ],
});
