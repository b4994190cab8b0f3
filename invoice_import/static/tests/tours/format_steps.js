/** @odoo-module **/
// Steps the supplier format tours share: a sample file picked in Try on a File as a user picks it, what was
// read looked at, and the dialog closed back onto the format. The tests (invoice_import/tests/
// test_browser_tours.py) store each sample as an attachment, which the file input is given.
import { rpc } from "@web/core/network/rpc";

/** The sample file the test stored, as a File for an <input type="file">. */
export async function sampleFile(name, type) {
    const [attachment] = await rpc("/web/dataset/call_kw/ir.attachment/search_read", {
        model: "ir.attachment",
        method: "search_read",
        args: [[["name", "=", name]], ["id"]],
        kwargs: { limit: 1 },
    });
    const response = await fetch(`/web/content/${attachment.id}?download=true`);
    return new File([await response.blob()], name, { type });
}

/** Open Try on a File from the format's form. */
export function openTryOnFile() {
    return {
        content: "Try on a File",
        trigger: ".o_form_view .o_statusbar_buttons button:contains(Try on a File)",
        run: "click",
    };
}

/** Give the dialog's file input the sample ``name``, as picking it in the file dialog does. */
export function pickSampleFile(name, type) {
    return {
        content: `Pick the sample file ${name}`,
        trigger: ".modal .o_field_widget[name='file'] .o_select_file_button",
        async run() {
            const input = document.querySelector(".modal .o_field_widget[name='file'] input[type='file']");
            const transfer = new DataTransfer();
            transfer.items.add(await sampleFile(name, type));
            input.files = transfer.files;
            input.dispatchEvent(new Event("change", { bubbles: true }));
        },
    };
}

/** Close the dialog without saving, and be back on the format. */
export function closeTryOnFile() {
    return [
        {
            content: "Close",
            trigger: ".modal-footer button:contains(Close)",
            run: "click",
        },
        {
            content: "Back on the format",
            trigger: "body:not(:has(.modal)) .o_form_view .oe_title .o_field_widget[name='name'] input",
        },
    ];
}

/** Save the format's form and wait until it is saved. */
export function saveFormat() {
    return [
        {
            content: "Save",
            trigger: ".o_control_panel .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_control_panel .o_form_status_indicator_buttons.invisible:not(:visible)",
        },
    ];
}
