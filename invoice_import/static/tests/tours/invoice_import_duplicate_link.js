/** @odoo-module **/
// A file imported twice: from the duplicate's bill, "Link this document to the existing bill" deletes the empty
// duplicate and lands on the existing bill, with no breadcrumb left to the deleted one (and no console error).
// Data: invoice_import/tests/test_browser_tours.py (test_duplicate_link_lands_on_the_existing_bill).
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("invoice_import_duplicate_link", {
    steps: () => [
        {
            content: "The duplicate's bill says the invoice was already imported",
            trigger: ".o_form_view .alert-warning:contains(It seems this invoice has already been imported)",
        },
        {
            content: "and it is empty",
            trigger: ".o_form_view .o_field_widget[name='ref'] input:value()",
        },
        {
            content: "Link this document to the existing bill",
            trigger: ".o_form_view .alert-warning button:contains(Link this document to the existing bill)",
            run: "click",
        },
        {
            content: "The existing bill opens, with the invoice number",
            trigger: ".o_form_view .o_field_widget[name='ref'] input:value(GL-D001)",
        },
        {
            content: "with no breadcrumb back to the deleted bill",
            trigger: ".o_control_panel .o_breadcrumb:not(:has(.breadcrumb-item:not(.active)))",
        },
        {
            content: "and no duplicate banner",
            trigger: ".o_form_view:not(:has(.alert:contains(already been imported)))",
        },
    ],
});
