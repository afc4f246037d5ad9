from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from intrapreneur.activity import verb_choices
from intrapreneur.enums import NotificationKind, Phase, Role
from intrapreneur.files import CheckedFileField
from intrapreneur.lists import ListFilterForm
from intrapreneur.models import Event, Incubator, Membership, Startup, Tag, User

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TagsInput(forms.TextInput):
    """A text input followed by the place where htmx puts the tag suggestions."""

    template_name = "components/tags_input.html"


class TagsField(forms.CharField):
    """Tags typed as a comma-separated list, with suggestions from the startup's tags.

    Cleans to a list of names; ``intrapreneur.services.tags_resolve`` turns them into Tags.
    """

    widget = TagsInput

    def __init__(self, *, autocomplete_url: str = "", **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Tags"))
        kwargs.setdefault("help_text", _("Separate tags with commas."))
        kwargs.setdefault("max_length", 600)
        super().__init__(**kwargs)
        self.set_autocomplete_url(autocomplete_url)

    def set_autocomplete_url(self, url: str) -> None:
        if url:
            self.widget.attrs.update(
                {
                    "autocomplete": "off",
                    "hx-get": url,
                    "hx-trigger": "input changed delay:250ms",
                    "hx-target": "next .tag-suggestions",
                    "hx-swap": "innerHTML",
                    "data-tags-input": "",
                }
            )

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return value

    def to_python(self, value) -> list[str]:
        text = super().to_python(value)
        seen: dict[str, str] = {}
        for name in text.split(","):
            name = " ".join(name.split())
            if len(name) > 60:
                raise forms.ValidationError(
                    _("A tag has 60 characters at most: “%(name)s…”.") % {"name": name[:30]}
                )
            if name:
                seen.setdefault(name.lower(), name)
        return list(seen.values())


class StartupCreateForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Startup
        fields = ["name", "mission", "incubator", "sponsor_organisation"]
        widgets = {"mission": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["incubator"].queryset = Incubator.objects.order_by("name")
        self.fields["mission"].help_text = _("In one sentence: who you help, with what problem.")


class ProductSheetForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Startup
        fields = [
            "name", "mission", "sponsor_organisation", "context", "problem", "solution",
            "objectives", "website", "repository", "contact", "target_interviews", "is_public",
        ]
        widgets = {
            "mission": forms.Textarea(attrs={"rows": 2}),
            "context": forms.Textarea(attrs={"rows": 5}),
            "problem": forms.Textarea(attrs={"rows": 5}),
            "solution": forms.Textarea(attrs={"rows": 5}),
            "objectives": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "context": _("Markdown is accepted."),
            "problem": _("Markdown is accepted."),
            "solution": _("Markdown is accepted."),
            "objectives": _("What the next six months must achieve. Markdown is accepted."),
        }


class PhaseChangeForm(DsfrBaseForm):
    phase = forms.ChoiceField(label=_("New phase"), choices=Phase.choices)
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000,
        help_text=_("Why the startup changes phase: it stays in the timeline."),
    )

    def __init__(self, *args, startup: Startup, **kwargs):
        super().__init__(*args, **kwargs)
        self.startup = startup
        self.fields["phase"].choices = [c for c in Phase.choices if c[0] != startup.phase]
        self.fields["date"].initial = timezone.localdate()

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return date


class EventForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Event
        fields = ["kind", "date", "comment"]
        widgets = {"date": DATE_WIDGET, "comment": forms.Textarea(attrs={"rows": 3})}


class MembershipForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["role", "job_title", "week_share"]
        help_texts = {
            "job_title": _("Designer, developer, deployment manager…"),
            "week_share": _("beta.gouv.fr asks the intrapreneur for at least 60 %."),
        }


class MembershipAddForm(MembershipForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("The person must already have an account."),
    )

    class Meta(MembershipForm.Meta):
        fields = ["email", "role", "job_title", "week_share"]

    def __init__(self, *args, startup: Startup, **kwargs):
        super().__init__(*args, **kwargs)
        self.startup = startup
        self.fields["role"].initial = Role.TEAM

    def clean_email(self) -> User:
        email = self.cleaned_data["email"].strip().lower()
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _("No account uses this address. Ask the incubator staff to create it.")
            )
        if Membership.objects.filter(startup=self.startup, user=user).exists():
            raise forms.ValidationError(_("This person is already in the team."))
        return user


class TagForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["name"]


class AttachmentForm(DsfrBaseForm):
    file = CheckedFileField(label=_("File"))
    name = forms.CharField(
        label=_("Name"), max_length=255, required=False,
        help_text=_("Leave empty to keep the file's name."),
    )
    tags = TagsField()

    def __init__(self, *args, autocomplete_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tags"].set_autocomplete_url(autocomplete_url)


# ---------------------------------------------------------------- list filters


class StartupFilterForm(ListFilterForm):
    phase = forms.ChoiceField(label=_("Phase"), choices=[("", _("All phases")), *Phase.choices])
    archived = forms.BooleanField(label=_("Show archived startups"))

    search_fields = ("name", "mission", "sponsor_organisation")
    sorts = {
        "name": (_("Name"), ("name",)),
        "updated": (_("Last update"), ("-updated_at",)),
        "phase": (_("Phase"), ("phase", "name")),
    }
    default_sort = "name"
    per_page = 12

    def filter_queryset(self, queryset, data):
        if data.get("phase"):
            queryset = queryset.filter(phase=data["phase"])
        return queryset if data.get("archived") else queryset.active()


class ActivityFilterForm(ListFilterForm):
    verb = forms.ChoiceField(label=_("Action"))
    actor = forms.ModelChoiceField(label=_("Who"), queryset=User.objects.none())

    search_fields = ("target_label",)
    sorts = {"when": (_("Date"), ("-created_at",))}
    default_sort = "when"
    per_page = 30

    def __init__(self, *args, startup: Startup, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verb"].choices = [("", _("All actions")), *verb_choices()]
        self.fields["actor"].queryset = User.objects.filter(memberships__startup=startup)
        self.fields["actor"].empty_label = _("Everyone")

    def filter_queryset(self, queryset, data):
        if data.get("verb"):
            queryset = queryset.filter(verb=data["verb"])
        if data.get("actor"):
            queryset = queryset.filter(actor=data["actor"])
        return queryset


class TagFilterForm(ListFilterForm):
    search_fields = ("name",)
    sorts = {
        "name": (_("Name"), ("name",)),
        "uses": (_("Uses"), ("-uses", "name")),
    }
    default_sort = "name"
    per_page = 50


class AttachmentFilterForm(ListFilterForm):
    tag = forms.ModelChoiceField(label=_("Tag"), queryset=Tag.objects.none())

    search_fields = ("name",)
    sorts = {
        "name": (_("Name"), ("name",)),
        "date": (_("Date"), ("-created_at",)),
        "size": (_("Size"), ("-size",)),
    }
    default_sort = "date"

    def __init__(self, *args, startup: Startup, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].queryset = Tag.objects.filter(startup=startup)
        self.fields["tag"].empty_label = _("All tags")

    def filter_queryset(self, queryset, data):
        if data.get("tag"):
            queryset = queryset.filter(tags=data["tag"])
        return queryset


class InvitationForm(DsfrBaseForm):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.TEAM)

    def __init__(self, *args, **kwargs):
        # The team page also holds the add-member form: ids must not collide.
        kwargs.setdefault("auto_id", "invite_%s")
        super().__init__(*args, **kwargs)


class ProfileForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name"]


class StartupExportForm(DsfrBaseForm):
    include_personal = forms.BooleanField(
        label=_("Include the personal data of participants and feedback authors"),
        required=False,
        help_text=_(
            "Participants' names, e-mail addresses and phone numbers, feedback authors' "
            "e-mail addresses. Without this choice, these fields are left empty in the archive."
        ),
    )


# ---------------------------------------------------------------- notifications


class NotificationFilterForm(ListFilterForm):
    state = forms.ChoiceField(
        label=_("Show"),
        choices=[("", _("All notifications")), ("unread", _("Unread only"))],
    )

    search_fields = ("label", "startup__name")
    sorts = {"when": (_("Date"), ("-created_at",))}
    default_sort = "when"
    per_page = 20

    def filter_queryset(self, queryset, data):
        if data.get("state") == "unread":
            queryset = queryset.filter(read_at__isnull=True)
        return queryset


class NotificationSettingsForm(DsfrBaseForm):
    """Per kind: in the application, in the weekly e-mail digest."""

    def __init__(self, *args, preferences: dict[str, tuple[bool, bool]], **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in NotificationKind.choices:
            in_app, email = preferences[kind]
            self.fields[f"in_app_{kind}"] = forms.BooleanField(
                label=_("%(kind)s: in the application") % {"kind": label},
                required=False, initial=in_app,
            )
            self.fields[f"email_{kind}"] = forms.BooleanField(
                label=_("%(kind)s: in the weekly e-mail") % {"kind": label},
                required=False, initial=email,
            )

    def chosen(self, channel: str) -> list[str]:
        return [kind for kind in NotificationKind.values if self.cleaned_data[f"{channel}_{kind}"]]


# ---------------------------------------------------------------- comments


class CommentForm(DsfrBaseForm):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Markdown is accepted (**bold**, lists, links). To tell a member, mention them "
            "with @ followed by the part of their e-mail address before the @, for example "
            "@camille.martin for camille.martin@beta.gouv.fr."
        ),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
