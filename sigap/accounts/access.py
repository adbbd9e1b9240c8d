"""The checks a view makes before anything else; a user who may not gets 403."""

from django.core.exceptions import PermissionDenied


def require_region_scope(user) -> None:
    """An office's staff (and the administrator): they read the registers of their region."""
    if not user.has_region_scope:
        raise PermissionDenied


def require_officer(user) -> None:
    """Industry office officers: they register and change records."""
    if not user.is_officer:
        raise PermissionDenied


def require_admin(user) -> None:
    """Administrators: they look after every user's access (API tokens, the Django admin)."""
    if not user.is_admin:
        raise PermissionDenied


def require_master_data_keeper(user) -> None:
    """Administrators and provincial officers: they keep the items, bills of materials and checklists that every
    district shares. Everyone else who may read them gets 403."""
    if not user.can_keep_master_data:
        raise PermissionDenied


def require_user_manager(user) -> None:
    """Administrators and the officers of an office: they look after the logins of their region."""
    if not user.can_manage_users:
        raise PermissionDenied


# What a role may do, asked by the views before they act and by the menus and buttons before they offer a link, so
# that no page links its reader to a refusal. Each answers from the user's own fields, without a query.
def may_read_registers(user) -> bool:
    """Partners, people, trainings, organisations, items and the dashboard of a region."""
    return user.has_region_scope


def may_read_stock(user) -> bool:
    """Stock, production and the market's pages: an office's staff, and a partner user for their own business."""
    return user.has_region_scope or bool(user.partner_id)


def may_read_handovers(user) -> bool:
    """Handovers and supply requests: an office's staff, and an agency user for their own agency."""
    return user.has_region_scope or user.role == "agency"


def may_request_supplies(user) -> bool:
    """Agency users ask for goods; officers record a request on an agency's behalf."""
    return user.is_officer or user.role == "agency"


def may_sell(user) -> bool:
    """Listings, buyers' inquiries and sales are kept by partner users and officers; buyers' data is theirs alone."""
    return user.role == "partner" or user.is_officer


def may_report_production(user) -> bool:
    """Officers and instructors record production for a partner, a partner user for their own business."""
    return user.is_officer or user.role in {"instructor", "partner"}


def may_inspect(user) -> bool:
    """Health experts inspect batches."""
    return user.role == "health_expert"


def may_run_trainings(user) -> bool:
    """Officers and instructors record a training's attendance, visits, outputs and materials."""
    return user.is_officer or user.role == "instructor"


MAY = {
    "read_registers": may_read_registers,
    "read_stock": may_read_stock,
    "read_handovers": may_read_handovers,
    "request_supplies": may_request_supplies,
    "sell": may_sell,
    "report_production": may_report_production,
    "inspect": may_inspect,
    "run_trainings": may_run_trainings,
    "change": lambda user: user.is_officer,
    "keep_master_data": lambda user: user.can_keep_master_data,
    "manage_users": lambda user: user.can_manage_users,
    "administer": lambda user: user.is_admin,
}
