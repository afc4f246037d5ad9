from django.forms.renderers import TemplatesSetting


class DsfrRenderer(TemplatesSetting):
    """Form templates from TEMPLATES; forms that are not DsfrBaseForm (allauth's…) get
    DSFR field groups too, through ``components/field.html``."""

    field_template_name = "components/field.html"
