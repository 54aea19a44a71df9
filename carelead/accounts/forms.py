"""Sign-in and account forms. Messages are constants so tests assert the exact words."""

import re

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordChangeForm

from carelead.core.forms import NHSFormMixin

SIGN_IN_FAILED = "Enter a correct email address and password"
EMAIL_REQUIRED = "Enter your email address"
EMAIL_INVALID = "Enter an email address in the correct format, like name@example.com"
PASSWORD_REQUIRED = "Enter your password"
CODE_REQUIRED = "Enter the 6-digit code from your authenticator app"
CODE_FORMAT = "Enter the code as 6 numbers, like 123456"
CODE_WRONG = "The code is not correct. Enter the code your authenticator app shows now"
RECOVERY_REQUIRED = "Enter one of your recovery codes"
RECOVERY_WRONG = "The recovery code is not correct, or it has been used already"
TOO_MANY_ATTEMPTS = "You have entered too many wrong codes. Wait {wait}, then try again"
CURRENT_PASSWORD_WRONG = "Your current password is not correct"
CURRENT_PASSWORD_REQUIRED = "Enter your current password"
NEW_PASSWORD_REQUIRED = "Enter a new password"
NEW_PASSWORD_AGAIN_REQUIRED = "Enter your new password again"
PASSWORDS_DIFFERENT = "The passwords you entered are different. Enter the same new password twice"
PASSWORD_HINT = (
    "Use at least 12 characters. Three or four random words work well. "
    "Do not use your name, your email address or a common password."
)
TOKEN_NAME_REQUIRED = "Enter a name for the token"
TOKEN_NAME_HINT = "So you can tell your tokens apart, like \"Rota script on the office computer\""

_CODE = re.compile(r"^\d{6}$")


class SignInForm(forms.Form):
    """Email and password, checked through `authenticate` so django-axes counts each failure."""

    email = forms.EmailField(
        label="Email address", max_length=254,
        error_messages={"required": EMAIL_REQUIRED, "invalid": EMAIL_INVALID},
    )
    password = forms.CharField(
        label="Password", strip=False, widget=forms.PasswordInput,
        error_messages={"required": PASSWORD_REQUIRED},
    )

    def __init__(self, request, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = None

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()  # accounts are stored lower-case

    def clean(self):
        cleaned = super().clean()
        email, password = cleaned.get("email"), cleaned.get("password")
        if email and password:
            # Never say which was wrong: that would tell a stranger which emails have accounts.
            self.user = authenticate(request=self.request, email=email, password=password)
            if self.user is None:
                self.add_error("email", SIGN_IN_FAILED)
        return cleaned


class AuthenticatorCodeForm(forms.Form):
    code = forms.CharField(
        label="Security code", max_length=12,
        help_text="The 6-digit code your authenticator app shows now",
        error_messages={"required": CODE_REQUIRED},
    )

    def clean_code(self) -> str:
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"])
        if not _CODE.match(code):
            raise forms.ValidationError(CODE_FORMAT, code="format")
        return code


class RecoveryCodeForm(forms.Form):
    recovery_code = forms.CharField(
        label="Recovery code", max_length=24,
        help_text="One of the codes you saved when you set up your authenticator app",
        error_messages={"required": RECOVERY_REQUIRED},
    )

    def clean_recovery_code(self) -> str:
        return re.sub(r"[\s-]", "", self.cleaned_data["recovery_code"]).lower()


class ReplaceAuthenticatorForm(AuthenticatorCodeForm):
    """Moving to a new phone: the password again, so a borrowed session cannot take over the account."""

    password = forms.CharField(
        label="Your password", strip=False, widget=forms.PasswordInput,
        error_messages={"required": PASSWORD_REQUIRED},
    )
    field_order = ["password", "code"]

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.order_fields(self.field_order)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(CURRENT_PASSWORD_WRONG, code="password_incorrect")
        return password


class ChangePasswordForm(PasswordChangeForm):
    """Django's form and password validators, in plain English."""

    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": CURRENT_PASSWORD_WRONG,
        "password_mismatch": PASSWORDS_DIFFERENT,
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {
            "old_password": ("Current password", CURRENT_PASSWORD_REQUIRED, ""),
            "new_password1": ("New password", NEW_PASSWORD_REQUIRED, PASSWORD_HINT),
            "new_password2": ("Enter your new password again", NEW_PASSWORD_AGAIN_REQUIRED, ""),
        }
        for name, (label, required, hint) in labels.items():
            self.fields[name].label = label
            self.fields[name].help_text = hint
            self.fields[name].error_messages["required"] = required


class TokenCreateForm(NHSFormMixin, forms.Form):
    name = forms.CharField(label="Token name", max_length=80, help_text=TOKEN_NAME_HINT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = TOKEN_NAME_REQUIRED
