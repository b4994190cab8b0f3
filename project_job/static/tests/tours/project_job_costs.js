/** @odoo-module **/
// A job's supplier costs: the task's job tab, its Supplier Invoices and Billed / Ordered buttons and what they
// open. Data: project_job/tests/test_browser_tours.py (test_job_supplier_costs): one PO in euros of 12 bolts at
// 8.90 and 20 washers at 2.35 (153.80), billed for 12 bolts and 10 washers (130.30): in the company's dollars at
// the test rate of 2 euros, 76.90 ordered and 65.15 billed; the detail list in dollars too.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("project_job_costs", {
    steps: () => [
        {
            content: "The job's task",
            trigger: ".o_form_view .o_field_widget[name='name'] textarea:value(Boiler replacement), .o_form_view .o_field_widget[name='name'] input:value(Boiler replacement)",
        },
        {
            content: "One supplier invoice",
            trigger: ".oe_stat_button:contains(Supplier Invoices) .o_stat_value:contains(1)",
        },
        {
            content: "Billed / ordered, formatted as money",
            trigger: ".oe_stat_button:contains(Billed / Ordered):contains($ 65.15):contains($ 76.90)",
        },
        {
            content: "Open the Job tab",
            trigger: ".o_notebook .nav-link:contains(Job)",
            run: "click",
        },
        {
            content: "The job number from the sequence",
            trigger: ".o_notebook .tab-pane.active .o_field_widget[name='job_number']:contains(JOB-), .o_notebook .tab-pane.active .o_field_widget[name='job_number'] input:value(/^JOB-/)",
        },
        {
            content: "The job type",
            trigger: ".o_field_widget[name='job_type_id'] input:value(Installation)",
        },
        {
            content: "The job's purchase order, for ACME",
            trigger: ".o_field_widget[name='job_purchase_order_ids'] .o_data_row:contains(ACME Industrial GmbH)",
        },
        {
            content: "Billed / Ordered",
            trigger: ".oe_stat_button:contains(Billed / Ordered)",
            run: "click",
        },
        {
            content: "Grouped by supplier",
            trigger: ".o_list_view .o_group_header:contains(ACME Industrial GmbH)",
            run: "click",
        },
        {
            content: "The washers: 20 ordered, 10 billed",
            trigger: ".o_list_view .o_data_row:contains(Washers DIN 125) td[name='qty_invoiced']:contains(10)",
        },
        {
            content: "The bolts: billed as ordered, in dollars (106.80 euros)",
            trigger: ".o_list_view .o_data_row:contains(Hex bolts M8):has(td[name='job_ordered_amount']:contains($ 53.40)) td[name='job_billed_amount']:contains($ 53.40)",
        },
        {
            content: "The washers in dollars: 47.00 euros ordered, 23.50 billed",
            trigger: ".o_list_view .o_data_row:contains(Washers DIN 125):has(td[name='job_ordered_amount']:contains($ 23.50)) td[name='job_billed_amount']:contains($ 11.75)",
        },
        {
            content: "The supplier's totals (Odoo shows a group's sums without currency)",
            trigger: ".o_list_view .o_group_header:contains(ACME Industrial GmbH):contains(76.90):contains(65.15)",
        },
        {
            content: "Back to the job",
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb li.breadcrumb-item:first a",
            run: "click",
        },
        {
            content: "Supplier Invoices",
            trigger: ".oe_stat_button:contains(Supplier Invoices)",
            run: "click",
        },
        {
            content: "The job's bill, by its number",
            trigger: ".o_list_view .o_data_row:contains(RE-J1)",
        },
    ],
});
