"""The outbox for the beheerder: what was sent, what waits, what failed (with its last error),
and "opnieuw proberen" for failed e-mails once the mail server works again. Read-only otherwise;
no pupil data is shown (the hulpvraag only by its type and date)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.rechten import Recht
from meldingen.models import Notificatie
from meldingen.services import max_pogingen, notificaties_retry
from organisaties.admin_scope import OrganisatieScopedAdmin


class ToestandFilter(admin.SimpleListFilter):
    title = _("toestand")
    parameter_name = "toestand"

    def lookups(self, request, model_admin):
        return [("verzonden", _("verzonden")), ("wacht", _("wacht")), ("mislukt", _("mislukt"))]

    def queryset(self, request, queryset):
        match self.value():
            case "verzonden":
                return queryset.filter(verzonden_op__isnull=False)
            case "wacht":
                return queryset.filter(verzonden_op__isnull=True, pogingen__lt=max_pogingen())
            case "mislukt":
                return queryset.filter(verzonden_op__isnull=True, pogingen__gte=max_pogingen())
        return queryset


@admin.register(Notificatie)
class NotificatieAdmin(OrganisatieScopedAdmin, admin.ModelAdmin):
    list_display = [
        "aangemaakt_op",
        "soort",
        "ontvanger",
        "toestand",
        "pogingen",
        "verzonden_op",
        "laatste_fout",
    ]
    list_filter = [ToestandFilter, "soort"]
    search_fields = ["ontvanger"]
    date_hierarchy = "aangemaakt_op"
    list_select_related = ["organisatie"]
    fields = [
        "organisatie",
        "soort",
        "ontvanger",
        "aangemaakt_op",
        "pogingen",
        "verzonden_op",
        "laatste_fout",
    ]
    readonly_fields = fields
    actions = ["opnieuw_proberen"]
    rechten_per_actie = {"view": Recht.MAILSTORING_ZIEN, "change": Recht.MAILSTORING_ZIEN}

    @admin.display(description=_("toestand"))
    def toestand(self, obj: Notificatie) -> str:
        if obj.verzonden_op:
            return _("verzonden")
        return _("mislukt") if obj.pogingen >= max_pogingen() else _("wacht")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Mislukte e-mails opnieuw proberen"), permissions=["change"])
    def opnieuw_proberen(self, request, queryset):
        aantal = notificaties_retry(notificaties=queryset)
        self.message_user(
            request,
            ngettext(
                "%(n)d e-mail wordt opnieuw verzonden.",
                "%(n)d e-mails worden opnieuw verzonden.",
                aantal,
            )
            % {"n": aantal},
            messages.SUCCESS,
        )
