/** @odoo-module **/
// A task created before job numbers existed gets one on demand: the Job tab's "Assign Job Number".
// Data: project_job/tests/test_browser_tours.py (test_old_task_gets_a_job_number): a task without a number.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("project_job_assign_number", {
    steps: () => [
        {
            content: "The old task",
            trigger: ".o_form_view .o_field_widget[name='name'] textarea:value(Roof inspection), .o_form_view .o_field_widget[name='name'] input:value(Roof inspection)",
        },
        {
            content: "Open the Job tab",
            trigger: ".o_notebook .nav-link:contains(Job)",
            run: "click",
        },
        {
            content: "No job number: the button offers one",
            trigger: ".o_notebook .tab-pane.active button[name='action_assign_job_number']:contains(Assign Job Number)",
            run: "click",
        },
        {
            content: "The next number of the sequence",
            trigger: ".o_notebook .tab-pane.active .o_field_widget[name='job_number']:contains(JOB-)",
        },
        {
            content: "The button is gone",
            trigger: ".o_notebook .tab-pane.active:not(:has(button[name='action_assign_job_number']))",
        },
    ],
});
