/** @odoo-module **/
// A click that reloads the whole page (the settings' Save, Refresh chart of accounts): the step after it must
// not find the page as it was before the reload, or an edit made on it is lost. A mark set on <body> before the
// click goes with the old page, so the next step waits for a page without it.

/**
 * The two steps of a reloading click: ``click`` ({content, trigger}) and ``reloaded``, the step that checks the
 * new page (its trigger is looked for on the reloaded page only).
 */
export function clickReloading(click, reloaded) {
    return [
        {
            ...click,
            async run(helpers) {
                document.body.dataset.tourReloading = "1";
                await helpers.click();
            },
        },
        { ...reloaded, trigger: `body:not([data-tour-reloading]) ${reloaded.trigger}` },
    ];
}
