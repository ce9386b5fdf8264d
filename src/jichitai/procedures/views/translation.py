"""The translation table: staff translate every text of the published form into one of the
selectable languages, beside the Japanese; saving publishes a new version with them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jichitai.procedures import services
from jichitai.procedures.builder_forms import TranslationForm
from jichitai.procedures.translation_table import TRANSLATABLE_LANGUAGES, procedure_texts, texts
from jichitai.procedures.translations import form_languages, html_lang
from jichitai.procedures.views.catalog import _procedure
from jichitai.tenancy.middleware import requires_role
from jichitai.tenancy.models import Role


@requires_role(Role.CLERK)
@require_http_methods(["GET", "POST"])
def form_translations(request, org_code, procedure_id):
    """Without ``?lang=``, the languages to choose from; with it, that language's table."""
    procedure = _procedure(request, procedure_id)
    version = procedure.current_version
    language = request.GET.get("lang", "")
    if language and language not in TRANSLATABLE_LANGUAGES:
        raise Http404
    if request.method == "POST" and not (language and version):
        raise Http404
    context = {
        "procedure": procedure,
        "version": version,
        "language": language,
        "language_name": TRANSLATABLE_LANGUAGES.get(language, ""),
        "html_lang": html_lang(language) if language else "",
        "languages": TRANSLATABLE_LANGUAGES,
        "offered": dict(form_languages(version.fields)) if version else {},
        "resident_url": reverse(
            "procedures_public:form",
            kwargs={"org_code": procedure.organization.code, "procedure_id": procedure.pk},
        ),
    }
    if not (language and version):
        return render(request, "procedures/staff/form_translations.html", context)
    table = procedure_texts(procedure, language) + texts(version.fields, language)
    form = TranslationForm(
        request.POST or None,
        texts=table,
        language_name=context["language_name"],
        initial={"version": version.pk},
    )
    status = 200
    if request.method == "POST" and request.POST.get("version") != str(version.pk):
        # The table was filled in on a version published over since: its rows may not be this
        # version's, so it is shown again as this version has it.
        form = TranslationForm(
            texts=table, language_name=context["language_name"], initial={"version": version.pk}
        )
        context["stale"] = _(
            "この間にフォームが公開し直されました。今の内容で翻訳を入力し直してください。"
        )
        status = 409
    elif request.method == "POST" and form.is_valid():
        try:
            saved = services.save_translations(
                actor=request.user,
                procedure=procedure,
                language=language,
                based_on=version,
                by_place=form.by_place(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("翻訳を保存しました(第%(number)s版として公開しました)。")
                % {"number": saved.number},
            )
            return redirect(
                f"{reverse('procedures:form_translations', args=[org_code, procedure.pk])}"
                f"?lang={language}"
            )
    if form.errors and status == 200:
        status = 422
    context["form"] = form
    return render(request, "procedures/staff/form_translations.html", context, status=status)
