from django.core.exceptions import ValidationError


class MaximumLengthValidator:
    """Refuse passwords longer than we promise to hash in full (Argon2 has no 72-byte cut)."""

    def __init__(self, max_length: int = 128) -> None:
        self.max_length = max_length

    def validate(self, password: str, user=None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                f"Use at most {self.max_length} characters.", code="password_too_long"
            )

    def get_help_text(self) -> str:
        return f"Your password can be up to {self.max_length} characters long."
