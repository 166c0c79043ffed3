"""Account pages: sign up, rate-limited log in, and the profile."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from accounts.forms import LoginForm, ProfileForm, SignupForm
from accounts.models import Region
from accounts.selectors import platforms_by_region
from accounts.services import profile_get_or_create, profile_update, user_signup
from ottsite.lib.errors import DomainError, ValidationFailed


def _login_rate(group: str, request: HttpRequest) -> str:
    # Read per request so tests (and settings overrides) can change it.
    return settings.LOGIN_RATE_LIMIT


def _login_key(group: str, request: HttpRequest) -> str:
    username = str(request.POST.get("username", "")).strip().lower()[:150]
    return f"{request.META.get('REMOTE_ADDR', '')}:{username}"


@require_http_methods(["GET", "POST"])
@ratelimit(
    group="accounts.login", key=_login_key, rate=_login_rate, method="POST", block=False
)
def login(request: HttpRequest) -> HttpResponse:
    if getattr(request, "limited", False):
        form = LoginForm(request, data=None)
        form.fields["username"].initial = request.POST.get("username", "")
        context = {"form": form, "is_limited": True}
        return render(request, "registration/login.html", context, status=429)
    return auth_views.LoginView.as_view(
        redirect_authenticated_user=True, authentication_form=LoginForm
    )(request)


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("survey:about")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_signup(
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
            )
        except DomainError as exc:
            for field, errors in exc.as_dict().items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            auth_login(request, user)
            messages.success(request, _("Welcome! Tell us what you like to watch."))
            return redirect("survey:about")
    return render(request, "registration/signup.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    current = profile_get_or_create(user=request.user)
    initial = {
        "age": current.age,
        "gender": current.gender,
        "occupation": current.occupation,
        "region": current.region or Region.KOREA,
        "subscriptions": list(current.subscriptions.all()),
        "monthly_budget": current.monthly_budget,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            profile_update(
                user=request.user,
                age=data["age"],
                gender=data["gender"],
                occupation=data["occupation"],
                region=data["region"],
                platform_ids=[p.pk for p in data["subscriptions"]],
                monthly_budget=data["monthly_budget"],
            )
        except ValidationFailed as exc:
            for field, errors in exc.errors.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, _("Your profile was saved."))
            return redirect("accounts:profile")
    region = form["region"].value() or Region.KOREA
    context = {
        "form": form,
        "selected_region": region,
        "selected_ids": {str(v) for v in form["subscriptions"].value() or []},
        "regions": platforms_by_region(),
    }
    return render(request, "accounts/profile.html", context)
