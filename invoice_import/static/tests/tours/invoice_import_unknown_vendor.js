/** @odoo-module **/
// A bill whose supplier the import did not recognise: the bill says what the file names (name, address,
// VAT number, e-mail, IBAN) and creates the vendor from it in one click, the IBAN becoming the bill's Recipient Bank.
// Data: invoice_import/tests/test_browser_tours.py (test_unknown_vendor_is_created_from_the_file).
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("invoice_import_unknown_vendor", {
    steps: () => [
        {
            content: "The bill has no vendor",
            trigger: ".o_form_view .o_field_widget[name='partner_id'] input:value()",
        },
        {
            content: "It says the vendor was not recognised, and what the file names, its address too",
            trigger: ".o_invoice_import_partner_proposal:contains(The vendor was not recognised):contains(Fernhill Stationers Ltd):contains(12 Market Road):contains(BS1 4DJ):contains(GB980780684):contains(GB82WEST12345698765432)",
        },
        {
            content: "Create it from the file",
            trigger: ".o_invoice_import_partner_proposal button:contains(Create it from the file)",
            run: "click",
        },
        {
            content: "The new vendor is on the bill",
            trigger: ".o_form_view .o_field_widget[name='partner_id'] input:value(Fernhill Stationers Ltd)",
        },
        {
            content: "its IBAN is the Recipient Bank",
            trigger: ".o_form_view .o_field_widget[name='partner_bank_id'] input:value(GB82WEST12345698765432)",
        },
        {
            content: "and the proposal is gone",
            trigger: ".o_form_view:not(:has(.o_invoice_import_partner_proposal))",
        },
    ],
});
