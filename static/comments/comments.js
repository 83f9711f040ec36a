// Discussion forms: move the reply form under the comment answered, and remember the author's
// details in this browser when they ask for it. Without JavaScript, "Reply" links reload the page
// with ?replyto=<id>, which shows the form in the same place.
(function () {
  "use strict";

  // The JavaScript catalog (jsi18n, loaded first) translates; if it did not load, English.
  var gettext = window.gettext || function (text) {
    return text;
  };
  var interpolate =
    window.interpolate ||
    function (format, values) {
      return format.replace(/%\((\w+)\)s/g, function (match, name) {
        return values[name];
      });
    };

  var STORAGE_KEY = "bioxclusters.commentAuthor";
  var FIELDS = ["author_name", "author_email", "author_url"];

  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null; // Storage blocked by the browser's privacy settings.
    }
  }

  function setUpRemember(form) {
    var remember = form.querySelector("input[name=remember]");
    var store = storage();
    if (!remember || !store) {
      return;
    }
    var saved = null;
    try {
      saved = JSON.parse(store.getItem(STORAGE_KEY) || "null");
    } catch (error) {
      saved = null;
    }
    if (saved && typeof saved === "object") {
      FIELDS.forEach(function (name) {
        var input = form.elements[name];
        if (input && !input.value && typeof saved[name] === "string") {
          input.value = saved[name];
        }
      });
      remember.checked = true;
    }
    form.addEventListener("submit", function () {
      if (remember.checked) {
        var values = {};
        FIELDS.forEach(function (name) {
          var input = form.elements[name];
          values[name] = input ? input.value : "";
        });
        store.setItem(STORAGE_KEY, JSON.stringify(values));
      } else {
        store.removeItem(STORAGE_KEY);
      }
    });
  }

  function setUpReplies(section) {
    var respond = document.getElementById("respond");
    var home = document.getElementById("respond-home");
    var cancel = document.getElementById("cancel-comment-reply-link");
    var title = document.getElementById("reply-title-text");
    if (!respond || !home || !cancel || !title) {
      return;
    }
    var parentInput = respond.querySelector("input[name=parent]");
    var openedBy = null; // The "Reply" link that moved the form: focus returns to it on cancel.

    function moveTo(commentId, author) {
      var article = document.getElementById("div-comment-" + commentId);
      if (!article || !parentInput) {
        return false;
      }
      article.insertAdjacentElement("afterend", respond);
      parentInput.value = commentId;
      title.textContent = interpolate(gettext("Leave a Reply to %(author)s"), { author: author }, true);
      cancel.hidden = false;
      var body = respond.querySelector("textarea[name=body]");
      if (body) {
        body.focus();
      }
      return true;
    }

    section.addEventListener("click", function (event) {
      var link = event.target.closest(".comment-reply-link");
      if (link && moveTo(link.dataset.commentId, link.dataset.author || "")) {
        openedBy = link;
        event.preventDefault();
      }
    });

    cancel.addEventListener("click", function (event) {
      event.preventDefault();
      home.appendChild(respond);
      if (parentInput) {
        parentInput.value = "";
      }
      title.textContent = title.dataset.default;
      cancel.hidden = true;
      // The cancel link just vanished with the focus on it: give the focus back to "Reply".
      if (openedBy) {
        openedBy.focus();
        openedBy = null;
      }
    });
  }

  // "Report" posts in place: the button gives way to the answer, read out by screen readers.
  function setUpReports(section) {
    section.addEventListener("submit", function (event) {
      var form = event.target.closest("form.comment-report");
      if (!form || !window.fetch) {
        return;
      }
      event.preventDefault();
      var button = form.querySelector("button");
      button.disabled = true;
      fetch(form.action, {
        method: "POST",
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.json();
        })
        .then(function (answer) {
          var note = document.createElement("span");
          note.className = "comment-report-message";
          note.setAttribute("role", "status");
          note.textContent = answer.message;
          form.replaceWith(note);
        })
        .catch(function () {
          form.submit(); // No answer to read: send the plain form instead.
        });
    });
  }

  function start() {
    document.querySelectorAll("form.comment-form").forEach(setUpRemember);
    var section = document.getElementById("comments");
    if (section) {
      setUpReplies(section);
      setUpReports(section);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
