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
