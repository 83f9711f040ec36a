// Drop or paste an image into a rich-text body: the editor asks for its alt text (required)
// and a caption, uploads it to the Images library and inserts it as a figure. Loaded by
// django-prose-editor as the "ImageDrop" extension (clusters.models.EDITOR_CONFIG).
import {Extension, Plugin, updateAttrsDialog} from "django-prose-editor/editor";

function csrfToken() {
    const field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
}

function imageFiles(transfer) {
    return Array.from((transfer && transfer.files) || []).filter(function (file) {
        return file.type.startsWith("image/");
    });
}

export const ImageDrop = Extension.create({
    name: "imageDrop",

    addOptions() {
        return {uploadUrl: null};
    },

    addProseMirrorPlugins() {
        const editor = this.editor;
        const uploadUrl = this.options.uploadUrl;

        function upload(file, position) {
            const ask = updateAttrsDialog(
                {
                    altText: {type: "string", title: gettext("Alternative text: what the image shows"), required: true},
                    caption: {type: "string", title: gettext("Caption (optional)")},
                },
                {
                    title: interpolate(gettext("Describe %(file)s"), {file: file.name}, true),
                    submitText: gettext("Upload and insert"),
                },
            );
            return ask(editor, {altText: "", caption: ""}).then(function (values) {
                if (!values || !values.altText.trim()) {
                    return null;
                }
                const body = new FormData();
                body.append("file", file);
                body.append("alt_text", values.altText.trim());
                body.append("title", file.name.replace(/\.[^.]+$/, ""));
                return fetch(uploadUrl, {
                    method: "POST",
                    body: body,
                    headers: {"X-CSRFToken": csrfToken()},
                    credentials: "same-origin",
                })
                    .then(function (response) {
                        return response.json().then(function (data) {
                            return response.ok ? data : Promise.reject(data.error);
                        });
                    })
                    .then(function (image) {
                        const content = [{type: "image", attrs: {src: image.url, alt: image.alt}}];
                        const caption = values.caption.trim();
                        if (caption) {
                            content.push({type: "caption", content: [{type: "text", text: caption}]});
                        }
                        const figure = {type: "figure", content: content};
                        if (position === null) {
                            editor.chain().focus().insertContent(figure).run();
                        } else {
                            editor.chain().focus().insertContentAt(position, figure).run();
                        }
                    })
                    .catch(function (error) {
                        window.alert(interpolate(gettext("The image was not uploaded: %(error)s"), {error: error}, true));
                    });
            });
        }

        function uploadAll(files, position) {
            files.reduce(function (previous, file) {
                return previous.then(function () {
                    return upload(file, position);
                });
            }, Promise.resolve());
        }

        return [
            new Plugin({
                props: {
                    handleDrop(view, event) {
                        const files = imageFiles(event.dataTransfer);
                        if (!files.length) {
                            return false;
                        }
                        event.preventDefault();
                        const at = view.posAtCoords({left: event.clientX, top: event.clientY});
                        uploadAll(files, at ? at.pos : null);
                        return true;
                    },
                    handlePaste(view, event) {
                        const files = imageFiles(event.clipboardData);
                        if (!files.length) {
                            return false;
                        }
                        uploadAll(files, null);
                        return true;
                    },
                },
            }),
        ];
    },
});
