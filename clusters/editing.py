"""The editors' side of a change form: versions, comparing and restoring, autosave, conflicts.

``EditingAdmin`` is django-reversion's ``VersionAdmin`` (every save inside the admin keeps a
version, with who, when and a comment) made for editors:

- History lists the versions; any two are compared side by side (``clusters.revisions``); opening
  one shows it in the form, and saving it restores it as a new version. Only people who may
  change the object see any of it.
- The form is autosaved by ``static/clusters/admin/editing.js`` to ``<id>/autosave/`` (or
  ``autosave/`` for an object not added yet) into an ``Autosave`` row, never the live content;
  a newer autosave is offered when the form is opened again.
- The slug shows the public address it makes (``PermalinkInput``).
- The form carries the id of the version it was opened on; a save made after someone else's is
  refused once, showing their version beside this one, so nobody overwrites anybody unaware.
"""

import copy

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.contrib.admin.utils import quote, unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.forms.formsets import all_valid
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseNotAllowed, JsonResponse, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, resolve, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from reversion import set_comment
from reversion.admin import VersionAdmin
from reversion.models import Version

from bioxclusters.common import display_name
from clusters.models import Autosave
from clusters.revisions import (
    compare,
    latest_version_id,
    sections,
    version_label,
    version_sections,
    versions_of,
)

# What stands for the slug in a permalink pattern.
SLUG_MARK = "__slug__"
# Form fields of the editing machinery, shown last on the form.
EDITING_FIELDS = ["version_comment", "opened_version"]


class EditingForm(forms.ModelForm):
    """A change form that knows the version it was opened on, and may start from an autosave."""

    version_comment = forms.CharField(
        label=_("Note for the list of versions"),
        max_length=200,
        required=False,
        help_text=_("Optional: what you changed and why, shown in History."),
    )
    opened_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    # A QueryDict of an autosave to start from, set by EditingAdmin.get_form.
    restored_data = None
    # Off for a preview, which saves nothing.
    check_conflicts = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        if self.is_bound:
            return
        self.initial["opened_version"] = latest_version_id(self.instance)
        if self.restored_data is not None:
            for name, field in self.fields.items():
                if not isinstance(field, forms.FileField):
                    self.initial[name] = field.widget.value_from_datadict(
                        self.restored_data, {}, self.add_prefix(name)
                    )

    def clean(self):
        cleaned_data = super().clean()
        latest = latest_version_id(self.instance)
        # The form always sends the field (empty when opened on no version); a post without it
        # was not made from this form, and has nothing to compare.
        opened = self.check_conflicts and self.add_prefix("opened_version") in self.data
        if opened and self.instance.pk is not None and latest != cleaned_data["opened_version"]:
            self.conflict = Version.objects.select_related("revision__user").get(pk=latest)
            # Sent again, the form replaces their version knowingly.
            self.data = self.data.copy()
            self.data[self.add_prefix("opened_version")] = latest
            raise ValidationError(
                _(
                    "%(who)s saved this %(kind)s since you opened it. Their version and yours "
                    "are shown below: save again to replace theirs with yours, or reload the "
                    "page to start from theirs."
                ),
                code="edit_conflict",
                params={
                    "who": display_name(who)
                    if (who := self.conflict.revision.user)
                    else _("Someone"),
                    "kind": self._meta.model._meta.verbose_name,
                },
            )
        return cleaned_data


class CheckboxColumns(forms.CheckboxSelectMultiple):
    """Checkboxes in columns, for a many-to-many field of a few dozen choices."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({"class": "checkbox-columns", **(attrs or {})}, choices)


class LabelledInlineFormSet(BaseInlineFormSet):
    """Inline rows whose boxes are each named (“Label, row 2”): a table header is no label."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for field in form.fields.values():
            if not field.widget.is_hidden:
                label = capfirst(field.label)
                field.widget.attrs["aria-label"] = (
                    _("%(label)s, new row") % {"label": label}
                    if index is None
                    else _("%(label)s, row %(number)s") % {"label": label, "number": index + 1}
                )


class PermalinkInput(forms.TextInput):
    """A slug box with the address it makes shown beside it, kept up to date by editing.js."""

    def __init__(self, pattern: str, attrs=None):
        super().__init__(attrs)
        self.pattern = pattern

    def render(self, name, value, attrs=None, renderer=None):
        # Rendered here, not by a template: the form renderer does not read the project's tree.
        box = super().render(name, value, attrs, renderer)
        return box + format_html(
            '<p class="help permalink-preview">{} '
            '<output for="{}" data-pattern="{}">{}</output></p>',
            _("Address:"),
            (attrs or {}).get("id", ""),
            self.pattern,
            self.pattern.replace(SLUG_MARK, value or "…"),
        )


def permalink_pattern(model, obj=None) -> str:
    """Return the public address of ``obj`` (or of a new ``model``) with ``SLUG_MARK`` as slug."""
    sample = copy.copy(obj) if obj is not None else model()
    sample.slug = SLUG_MARK
    return settings.SITE_URL + sample.get_absolute_url()


def _form_values(form) -> dict:
    """Return the state a submitted form describes, keyed as ``Version.field_dict`` is."""
    opts = form.instance._meta
    values = {f.attname: getattr(form.instance, f.attname) for f in opts.concrete_fields}
    for field in opts.many_to_many:
        if field.name in form.cleaned_data:
            values[field.attname] = [obj.pk for obj in form.cleaned_data[field.name]]
    return values


class EditingAdmin(VersionAdmin):
    """A content admin with versions, comparison, restore, autosave and conflict warnings."""

    form = EditingForm
    # Plain checkboxes: the admin's two-box and search widgets fail screen readers (axe).
    formfield_overrides = {models.ManyToManyField: {"widget": CheckboxColumns}}
    change_form_template = "admin/clusters/editing/change_form.html"
    object_history_template = "admin/clusters/editing/object_history.html"

    class Media:
        css = {"all": ["clusters/admin/editing.css"]}
        js = ["clusters/admin/editing.js"]

    # Fields and form

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f not in EDITING_FIELDS]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        return [*fieldsets, (_("This version"), {"fields": EDITING_FIELDS})]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        for field in form.base_fields.values():
            # The date and time boxes of a publication date are named each, for screen readers.
            if isinstance(field.widget, forms.SplitDateTimeWidget):
                for box, part in zip(field.widget.widgets, ("date", "time"), strict=True):
                    box.attrs["aria-label"] = f"{capfirst(field.label)}: {part}"
        if slug := form.base_fields.get("slug"):
            slug.widget = PermalinkInput(permalink_pattern(self.model, obj), slug.widget.attrs)
        restored = getattr(request, "restored_autosave", None)
        if restored is not None:
            form = type(form.__name__, (form,), {"restored_data": _query_dict(restored.data)})
        return form

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        restored = getattr(request, "restored_autosave", None)
        if restored is not None and request.method == "GET":
            kwargs["data"] = _query_dict(restored.data)
        return kwargs

    # Saving

    # After save_model (which subclasses hand to services), before the change is logged.
    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        request.version_comment = form.cleaned_data.get("version_comment", "")
        self._autosaves(request, form.instance if change else None).delete()

    def _set_version_comment(self, request, entry):
        note = getattr(request, "version_comment", "")
        if note:
            set_comment(f"{note} ({entry.get_change_message()})")

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._set_version_comment(request, entry)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self._set_version_comment(request, entry)
        return entry

    # Autosave

    def _autosaves(self, request, obj):
        return Autosave.objects.filter(
            content_type=ContentType.objects.get_for_model(self.model),
            object_id="" if obj is None else str(obj.pk),
            user=request.user,
        )

    def autosave_view(self, request, object_id=None):
        """Keep what the editor's form holds now, as their autosave of this object."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self._object_being_edited(request, object_id)
        data = [
            [name, value]
            for name, values in request.POST.lists()
            if name != "csrfmiddlewaretoken"
            for value in values
        ]
        autosave, _ = Autosave.objects.update_or_create(
            content_type=ContentType.objects.get_for_model(self.model),
            object_id="" if obj is None else str(obj.pk),
            user=request.user,
            defaults={"data": data},
        )
        return JsonResponse({"saved_at": localize(localtime(autosave.saved_at).time())})

    def _object_being_edited(self, request, object_id):
        """Return the object of a change form (None on an add form), if the user may save it."""
        if object_id is None:
            if not self.has_add_permission(request):
                raise PermissionDenied
            return None
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(f"No {self.opts.verbose_name} with id {object_id}.")
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        return obj

    # Preview

    def preview_view(self, request, object_id=None):
        """Show the form's content on its public page, as visitors will see it, saving nothing."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self._object_being_edited(request, object_id)
        change = obj is not None
        form_class = self.get_form(request, obj, change=change)
        # A preview is no save: whoever saved meanwhile, it shows this form's content.
        form = type(form_class.__name__, (form_class,), {"check_conflicts": False})(
            request.POST, request.FILES, instance=obj
        )
        valid = form.is_valid()
        entry = self.save_form(request, form, change=change) if valid else form.instance
        formsets = self._create_formsets(request, entry, change=change)[0]
        if not (valid and all_valid(formsets)):
            problems = [(_label(form, name), errors) for name, errors in form.errors.items()]
            for formset in formsets:
                problems += [
                    (_label(row, name), errors)
                    for row in formset.forms
                    for name, errors in row.errors.items()
                ]
            context = {
                **self.admin_site.each_context(request),
                "title": _("This cannot be previewed yet"),
                "problems": problems,
            }
            return TemplateResponse(
                request, "admin/clusters/editing/preview_errors.html", context, status=400
            )
        try:
            with transaction.atomic():
                # Saved for the public page to read, then rolled back.
                entry.save()
                form.save_m2m()
                for formset in formsets:
                    formset.save()
                raise _Preview(public_response(request, entry))
        except _Preview as preview:
            return preview.response

    def _newer_autosave(self, request, obj):
        """Return the editor's autosave of ``obj`` if it is newer than its latest version."""
        autosave = self._autosaves(request, obj).first()
        if autosave is None or obj is None:
            return autosave
        latest = versions_of(obj).values_list("revision__date_created", flat=True).first()
        changed = max(filter(None, [latest, getattr(obj, "updated_at", None)]), default=None)
        return autosave if changed is None or autosave.saved_at > changed else None

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "GET" and "restore-autosave" in request.GET:
            obj = self.get_object(request, unquote(object_id)) if object_id else None
            request.restored_autosave = self._autosaves(request, obj).first()
        return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        restored = getattr(request, "restored_autosave", None)
        args = [quote(obj.pk)] if obj is not None and obj.pk else []
        editing = {
            "autosave_seconds": settings.EDITOR_AUTOSAVE_SECONDS,
            "autosave_url": reverse(self._url_name("autosave"), args=args),
            "preview_url": reverse(self._url_name("preview"), args=args)
            if hasattr(self.model, "get_absolute_url")
            else None,
            "restored": restored,
            "autosave": None
            if restored or request.method != "GET"
            else self._newer_autosave(request, obj),
        }
        if form.conflict is not None:
            editing["conflict"] = compare(
                version_sections(form.conflict, with_rows=False),
                sections(self.model, _form_values(form)),
                _("Their version: %(version)s") % {"version": version_label(form.conflict)},
                _("Yours, not saved"),
            )
        context["editing"] = editing
        return super().render_change_form(request, context, add, change, form_url, obj)

    # Versions: list, compare, restore

    # Versions are for those who may change the object: anyone else is refused.

    def _revision_url(self, version):
        return reverse(self._url_name("revision"), args=[quote(version.object_id), version.pk])

    def history_view(self, request, object_id, extra_context=None):
        obj = self._object_being_edited(request, object_id)
        versions = [
            {"version": version, "url": self._revision_url(version)} for version in versions_of(obj)
        ]
        context = {
            "versions": versions,
            "compare_url": reverse(self._url_name("compare"), args=[quote(obj.pk)]),
            **(extra_context or {}),
        }
        # Django's own history view (the page around the list), not reversion's.
        return ModelAdmin.history_view(self, request, object_id, context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        self._object_being_edited(request, object_id)
        return super().revision_view(request, object_id, version_id, extra_context)

    def compare_view(self, request, object_id):
        """Show two versions of an object side by side, with what changed marked."""
        obj = self._object_being_edited(request, object_id)
        versions = versions_of(obj)
        try:
            old = versions.get(pk=request.GET.get("old"))
            new = versions.get(pk=request.GET.get("new"))
        except (Version.DoesNotExist, ValueError):
            messages.error(request, _("Choose two versions of this object to compare."))
            return redirect(self._url_name("history"), quote(obj.pk))
        if old.revision.date_created > new.revision.date_created:
            old, new = new, old
        differences = compare(
            version_sections(old), version_sections(new), version_label(old), version_label(new)
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Compare versions of %(object)s") % {"object": obj},
            "subtitle": None,
            "opts": self.opts,
            "object": obj,
            "old": {"version": old, "label": version_label(old), "url": self._revision_url(old)},
            "new": {"version": new, "label": version_label(new), "url": self._revision_url(new)},
            "changed": [difference for difference in differences if difference.changed],
            "unchanged": [difference.title for difference in differences if not difference.changed],
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/clusters/editing/compare.html", context)

    def _url_name(self, view: str, *, namespaced: bool = True) -> str:
        name = f"{self.opts.app_label}_{self.opts.model_name}_{view}"
        return f"{self.admin_site.name}:{name}" if namespaced else name

    def get_urls(self):
        view = self.admin_site.admin_view
        autosave = self._url_name("autosave", namespaced=False)
        preview = self._url_name("preview", namespaced=False)
        return [
            path("autosave/", view(self.autosave_view), name=autosave),
            path("preview/", view(self.preview_view), name=preview),
            path("<path:object_id>/preview/", view(self.preview_view), name=preview),
            path("<path:object_id>/autosave/", view(self.autosave_view), name=autosave),
            path(
                "<path:object_id>/history/compare/",
                view(self.compare_view),
                name=self._url_name("compare", namespaced=False),
            ),
            *super().get_urls(),
        ]


def _label(form, name) -> str:
    field = form.fields.get(name)
    return str(field.label) if field is not None and field.label else str(_("The form"))


class _Preview(Exception):
    """Carries a preview's response out of the transaction it rolls back."""

    def __init__(self, response):
        super().__init__()
        self.response = response


def public_response(request, entry):
    """Return the rendered public page of ``entry``, as its own address would serve it."""
    url = entry.get_absolute_url()
    match = resolve(url)
    public = copy.copy(request)
    public.method, public.path, public.path_info = "GET", url, url
    public.GET = QueryDict()
    response = match.func(public, *match.args, **match.kwargs)
    if hasattr(response, "render"):
        response.render()
    add_never_cache_headers(response)
    # A preview is nobody's to index, wherever its address travels.
    response["X-Robots-Tag"] = "noindex"
    return response


def _query_dict(pairs) -> QueryDict:
    """Return an autosave's ``[name, value]`` pairs as the QueryDict a form reads."""
    data = QueryDict(mutable=True)
    for name, value in pairs:
        data.appendlist(name, value)
    return data
