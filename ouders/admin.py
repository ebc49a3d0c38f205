"""Parents' invitations and what parents did, read-only for the loket (pupil data through the
access module, like every other pupil-data admin). The code and link are hashes and are not
shown; the school handles invitations on the Formulier tab."""

from django.contrib import admin

from hulpvragen.access_admin import PupilDataAdmin
from ouders.models import Correctievoorstel, Uitnodiging, VoorGezien, Zienswijze


@admin.register(Uitnodiging)
class UitnodigingAdmin(PupilDataAdmin, admin.ModelAdmin):
    list_display = ("pk", "hulpvraag", "ouder", "aangemaakt_op", "geldig_tot", "ingetrokken_op")
    list_select_related = ("hulpvraag",)
    list_filter = ("aangemaakt_op", ("ingetrokken_op", admin.EmptyFieldListFilter))
    search_fields = ("naam", "email")
    exclude = ("link_hash", "code_hash")
    via_hulpvraag = "hulpvraag"


@admin.register(Correctievoorstel)
class CorrectievoorstelAdmin(PupilDataAdmin, admin.ModelAdmin):
    list_display = ("pk", "uitnodiging", "status", "ingediend_op", "beoordeeld_op")
    list_select_related = ("uitnodiging",)
    list_filter = ("status", "ingediend_op")
    search_fields = ("toelichting", "reden")
    via_hulpvraag = "uitnodiging__hulpvraag"


@admin.register(Zienswijze)
class ZienswijzeAdmin(PupilDataAdmin, admin.ModelAdmin):
    list_display = ("pk", "uitnodiging", "niet_eens", "op")
    list_select_related = ("uitnodiging",)
    list_filter = ("niet_eens", "op")
    search_fields = ("tekst",)
    via_hulpvraag = "uitnodiging__hulpvraag"


@admin.register(VoorGezien)
class VoorGezienAdmin(PupilDataAdmin, admin.ModelAdmin):
    list_display = ("naam", "uitnodiging", "ondertekend_op", "hash")
    list_select_related = ("uitnodiging",)
    list_filter = ("ondertekend_op",)
    search_fields = ("naam", "hash")
    via_hulpvraag = "uitnodiging__hulpvraag"
