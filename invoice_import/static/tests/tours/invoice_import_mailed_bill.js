/** @odoo-module **/
// A vendor bill made from a PDF that a supplier mailed to the bills address: the bill's values, its Import tab
// (state, source, confidence) and the purchase order match report, then the import record behind it.
// Data: invoice_import/tests/test_browser_tours.py (test_mailed_bill_shows_its_import_panel_and_match_report).
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("invoice_import_mailed_bill", {
    steps: () => [
        {
            content: "The bill names the supplier who mailed it",
            trigger: ".o_form_view .o_field_widget[name='partner_id'] input:value(Greenleaf Office Supplies)",
        },
        {
            content: "Its bill reference is the number printed on the invoice",
            trigger: ".o_form_view .o_field_widget[name='ref'] input:value(GL-T001)",
        },
        {
            content: "It is a draft",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Draft)",
        },
        {
            content: "The line read from the PDF: paper, 5 at 4.00",
            trigger: ".o_field_widget[name='invoice_line_ids'] .o_data_row:contains(Paper A4):contains(4.00):contains(20.00)",
        },
        {
            content: "The total read from the PDF, in pounds",
            trigger: ".o_field_widget[name='tax_totals']:contains(24.00)",
        },
        {
            content: "Open the Import tab",
            trigger: ".o_notebook .nav-link:contains(Import)",
            run: "click",
        },
        {
            content: "The import read the PDF's text",
            trigger: ".o_notebook .tab-pane.active .o_field_widget[name='invoice_import_source']:contains(PDF text)",
        },
        {
            content: "The confidence per field is shown with the field's name",
            trigger: ".o_field_widget[name='invoice_import_confidence_html'] table:contains(Invoice number)",
        },
        {
            content: "The purchase order match says the bill matched",
            trigger: ".o_field_widget[name='invoice_import_match_state']:contains(Matched)",
        },
        {
            content: "The match report names the product, with ordered, received and billed quantities",
            trigger: ".o_field_widget[name='invoice_import_match_html'] table.o_invoice_import_match tbody tr:first:contains(Paper A4):contains(5.00)",
        },
        {
            content: "its prices in the bill's currency, the rule in words, and a badge for the result",
            trigger: ".o_field_widget[name='invoice_import_match_html'] tbody tr:first:contains(£):contains(Unit price) .badge.text-bg-success:contains(Within tolerance)",
        },
        {
            content: "No internal key nor raw number is shown",
            trigger: ".o_field_widget[name='invoice_import_match_html']:not(:contains(unit_price)):not(:contains(supplier_code)):not(:contains(4.0000))",
        },
        {
            content: "The report's order total passed too",
            trigger: ".o_field_widget[name='invoice_import_match_html'] tr:contains(Order total) .badge:contains(Within tolerance)",
        },
        {
            content: "Open the import record",
            trigger: ".o_notebook .tab-pane.active button:contains(Open the import record)",
            run: "click",
        },
        {
            content: "The import record keeps the file and the invoice number",
            trigger: ".o_form_view .o_field_widget[name='invoice_number']:contains(GL-T001)",
        },
        {
            content: "and who sent it",
            trigger: ".o_form_view .o_field_widget[name='sender_email']:contains(accounts@greenleaf.example)",
        },
        {
            content: "Its Purchase Order Match tab",
            trigger: ".o_notebook .nav-link:contains(Purchase Order Match)",
            run: "click",
        },
        {
            content: "shows the same report",
            trigger: ".o_field_widget[name='match_report_html'] tr:contains(Order total) .badge:contains(Within tolerance)",
        },
        {
            content: "Its Extracted Data tab",
            trigger: ".o_notebook .nav-link:contains(Extracted Data)",
            run: "click",
        },
        {
            content: "shows labelled fields with formatted values and confidence, not the JSON",
            trigger: ".o_field_widget[name='pivot_html'] table.o_invoice_import_fields tr:contains(Invoice number):contains(GL-T001):contains(%)",
        },
        {
            content: "the total in pounds",
            trigger: ".o_field_widget[name='pivot_html'] tr:contains(Total):contains(£)",
        },
        {
            content: "and the raw JSON only in developer mode",
            trigger: ".o_notebook:not(:has(.nav-link:contains(Extracted Data (JSON))))",
        },
        {
            content: "The Bill button leads back to the bill",
            trigger: ".o_form_view .oe_stat_button:contains(Bill)",
            run: "click",
        },
        {
            content: "Back on the bill",
            trigger: ".o_form_view .o_field_widget[name='ref'] input:value(GL-T001)",
        },
    ],
});
