from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: accounts are created by staff or by an invitation."""

    def is_open_for_signup(self, request) -> bool:
        return False
