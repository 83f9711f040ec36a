// The Images library as a chooser for the rich-text editor's figure dialog ("Browse…"): a
// chosen or newly uploaded image is handed back to the editor's window, which fills in its
// address and alt text (django-prose-editor speaks CKEditor's picker protocol).
document.addEventListener("DOMContentLoaded", function () {
    "use strict";
    const funcNum = new URLSearchParams(window.location.search).get("CKEditorFuncNum");

    function choose(url, alt, id) {
        if (window.opener && funcNum !== null) {
            window.opener.CKEDITOR.tools.callFunction(funcNum, url, {alternative_text: alt, caption: "", id: id});
            window.close();
        }
    }

    document.querySelectorAll("button[data-image-url]").forEach(function (button) {
        button.addEventListener("click", function () {
            choose(button.dataset.imageUrl, button.dataset.imageAlt, button.dataset.imageId);
        });
    });

    const upload = document.getElementById("chooser-upload");
    const status = document.getElementById("chooser-upload-status");
    upload.addEventListener("submit", function (event) {
        event.preventDefault();
        status.textContent = gettext("Uploading…");
        fetch(upload.action, {method: "POST", body: new FormData(upload), credentials: "same-origin"})
            .then(function (response) {
                return response.json().then(function (data) {
                    return response.ok ? data : Promise.reject(data.error);
                });
            })
            .then(function (image) {
                status.textContent = gettext("Uploaded.");
                choose(image.url, image.alt, String(image.id));
            })
            .catch(function (error) {
                status.textContent = interpolate(gettext("Not uploaded: %(error)s"), {error: error}, true);
            });
    });
});
