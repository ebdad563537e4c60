from django.urls import reverse
from django.utils.translation import gettext as _


def navigation(request):
    """The menu a user sees: only the places their role may open."""
    user = getattr(request, "user", None)
    items: list[tuple[str, str]] = []
    if user is not None and user.is_authenticated:
        if user.can_see_aggregates:
            items.append((reverse("registry:dashboard"), _("Dashboard")))
        if user.can_see_personal_data:
            items.append((reverse("registry:person_list"), _("Foreigners")))
            items.append((reverse("registry:sponsor_list"), _("Sponsors")))
        if user.can_see_personal_data:
            items.append((reverse("lodging:officer_guests"), _("Guests")))
            items.append((reverse("lodging:officer_alerts"), _("Alerts")))
            items.append((reverse("screening:hit_list"), _("Watchlists")))
        elif user.can_see_aggregates:
            items.append((reverse("lodging:officer_map"), _("Guest map")))
        if user.can_write_registry:
            items.append((reverse("registry:import_list"), _("Import")))
        if user.role == "lodging":
            items.append((reverse("lodging:home"), _("Guests")))
            items.append((reverse("lodging:check_in"), _("Check-in")))
            items.append((reverse("lodging:upload_list"), _("Upload list")))
        if user.is_head:
            items.append((reverse("core:audit_log"), _("Audit log")))
            items.append((reverse("core:access_log"), _("Access log")))
        if user.role == "admin":
            items.append((reverse("core:user_list"), _("Users")))
            # Visa codes, rule sets, offices, agencies and working days; the calendar also
            # directly, as deadlines depend on it.
            items.append((reverse("core:reference_index"), _("Reference data")))
            items.append((reverse("core:working_days"), _("Working days")))
        items.append((reverse("core:account"), _("Account")))
        items.append((reverse("core:password_change"), _("Change password")))
    return {"nav_items": items}
