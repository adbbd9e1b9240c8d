from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UserBackend(ModelBackend):
    """Django's own backend, loading a signed-in user's office with the user: every page scopes its records by that
    office's region, so it would otherwise cost a query of its own on every request (API tokens do the same)."""

    def get_user(self, user_id):
        user = get_user_model()._default_manager.select_related("organisation").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
