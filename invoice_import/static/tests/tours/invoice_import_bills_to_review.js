/** @odoo-module **/
// The vendor bills that wait for a person, found where accountants look: the To Review filter of Vendor Bills,
// and on the bill a banner saying what it waits for.
// Data: invoice_import/tests/test_browser_tours.py (test_bills_to_review_filter).
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("invoice_import_bills_to_review", {
    steps: () => [
        {
            content: "The vendor bills list, the confirmed bill in it",
            trigger: ".o_list_view .o_data_row:contains(BILL/)",
        },
        {
            content: "Open the search options",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Filter: To Review",
            trigger: ".o_filter_menu .o-dropdown-item:contains(To Review)",
            run: "click",
        },
        {
            content: "The draft bill waiting for confirmation is listed",
            trigger: ".o_list_view .o_data_row:contains(ACME Industrial GmbH)",
        },
        {
            content: "the confirmed one is not",
            trigger: ".o_list_view:not(:has(.o_data_row:contains(BILL/)))",
        },
        {
            content: "Open it",
            trigger: ".o_list_view .o_data_row:contains(ACME Industrial GmbH) td.o_data_cell:first",
            run: "click",
        },
        {
            content: "It is the bill of invoice RE-F001",
            trigger: ".o_form_view .o_field_widget[name='ref'] input:value(RE-F001)",
        },
        {
            content: "Its banner says it waits for confirmation, matched to its order",
            trigger: ".o_form_view .alert.o_invoice_import_review:contains(Waiting for confirmation: matched to P0)",
        },
        {
            content: "and why nothing posted it",
            trigger: ".o_form_view .alert.o_invoice_import_review:contains(Not posted automatically)",
        },
        {
            content: "The assignee's activity is on the bill itself",
            trigger: ".o-mail-Chatter .o-mail-Activity:contains(Confirm the bill)",
        },
    ],
});
