// Never lose an edit (clusters.editing): ask before leaving a form with unsaved changes, and
// keep an autosave of the form every so often and when the tab is hidden or closed.

// Each body editor is named after its field and checks spelling as typed. Registered at once,
// in the head: the editors may be ready before the page has loaded.
document.addEventListener("prose-editor:ready", function (event) {
    const textarea = event.detail.textarea;
    const label = document.querySelector("label[for='" + textarea.id + "']");
    const view = event.detail.editor.view.dom;
    view.setAttribute("spellcheck", "true");
    view.setAttribute("aria-multiline", "true");
    if (label) {
        view.setAttribute("aria-label", label.textContent.replace(/:\s*$/, "").trim());
    }
});

// The admin loads form media in the head: wait for the form.
document.addEventListener("DOMContentLoaded", function () {
    "use strict";
    // The address beside each slug follows what is typed (or prepopulated from the title).
    const previews = document.querySelectorAll("output[data-pattern]");
    function showPermalinks() {
        previews.forEach(function (output) {
            const slug = document.getElementById(output.htmlFor.value);
            output.textContent = output.dataset.pattern.replace("__slug__", slug.value || "…");
        });
    }
    ["input", "change", "keyup"].forEach(function (type) {
        document.addEventListener(type, showPermalinks);
    });

    const state = document.getElementById("editing-state");
    const form = state && state.closest("form");
    if (!form) {
        return;
    }
    const status = document.getElementById("autosave-status");
    const url = state.dataset.autosaveUrl;
    // A restored autosave or a refused save shows what the database does not hold yet.
    let unsaved = state.hasAttribute("data-unsaved");
    let sinceAutosave = false;
    let submitting = false;

    function changed() {
        unsaved = true;
        sinceAutosave = true;
    }
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function (event) {
        // A preview opens in another tab: this form stays open, with its changes unsaved.
        if (!event.submitter || event.submitter.formTarget !== "_blank") {
            submitting = true;
        }
    });
    window.addEventListener("beforeunload", function (event) {
        if (unsaved && !submitting) {
            event.preventDefault();
            event.returnValue = "";
        }
    });

    function formData() {
        const data = new FormData(form);
        // Files are uploaded by saving the form, never by an autosave.
        for (const [name, value] of Array.from(data.entries())) {
            if (value instanceof File) {
                data.delete(name);
            }
        }
        return data;
    }

    function autosave() {
        if (!sinceAutosave || submitting) {
            return;
        }
        sinceAutosave = false;
        fetch(url, {method: "POST", body: formData(), credentials: "same-origin"})
            .then(function (response) {
                return response.ok ? response.json() : Promise.reject(response.status);
            })
            .then(function (body) {
                status.textContent = interpolate(
                    gettext("Autosaved at %(time)s (not published: save to keep it)."),
                    {time: body.saved_at},
                    true,
                );
            })
            .catch(function () {
                sinceAutosave = true;
                status.textContent = gettext("The autosave failed: save the form to keep your changes.");
            });
    }

    window.setInterval(autosave, Number(state.dataset.autosaveSeconds) * 1000);
    // The form's own CSRF token travels in the body, so a beacon needs no header.
    document.addEventListener("visibilitychange", function () {
        if (document.visibilityState === "hidden" && sinceAutosave && !submitting) {
            sinceAutosave = false;
            navigator.sendBeacon(url, formData());
        }
    });
});
