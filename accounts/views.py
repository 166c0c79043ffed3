"""Account pages: sign up, rate-limited log in, and the profile."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.alerts import notifications_for, notifications_mark_read
from accounts.forms import AccountDeleteForm, LoginForm, ProfileForm, SignupForm
from accounts.limits import (
    login_failure_record,
    login_retry_after,
    login_success_record,
)
from accounts.models import Region
from accounts.selectors import platforms_by_region
from accounts.services import (
    account_delete,
    profile_get_or_create,
    profile_update,
    user_signup,
)
from ottsite.lib.errors import DomainError, ValidationFailed


@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    username = str(request.POST.get("username", ""))
    is_attempt = request.method == "POST" and not request.user.is_authenticated
    wait = is_attempt and login_retry_after(request=request, username=username)
    if wait:
        form = LoginForm(request, data=None)
        form.fields["username"].initial = username
        context = {"form": form, "is_limited": True, "wait_minutes": -(-wait // 60)}
        response = render(request, "registration/login.html", context, status=429)
        response["Retry-After"] = str(wait)
        return response
    response = auth_views.LoginView.as_view(
        redirect_authenticated_user=True, authentication_form=LoginForm
    )(request)
    if is_attempt and request.user.is_authenticated:
        login_success_record(request=request, username=username, response=response)
    elif is_attempt:
        login_failure_record(request=request, username=username)
    return response


@require_http_methods(["GET", "POST"])
def logout(request: HttpRequest) -> HttpResponse:
    """POST logs out. GET (a typed or bookmarked address) asks first: a GET must not
    log anyone out, or any link or image elsewhere could."""
    if request.method == "POST":
        return auth_views.LogoutView.as_view()(request)
    if not request.user.is_authenticated:
        return redirect("home")
    return render(request, "accounts/logout.html")


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
        "share_for_training": current.has_training_consent,
        "email_alerts": current.email_alerts,
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
                has_training_consent=data["share_for_training"],
                email_alerts=data["email_alerts"],
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


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            account_delete(user=request.user, password=form.cleaned_data["password"])
        except ValidationFailed as exc:
            for error in exc.errors.get("password", []):
                form.add_error("password", error)
        else:
            auth_logout(request)
            messages.success(request, _("Your account and all its data were deleted."))
            return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    """The user's watchlist alerts; POST marks them all read."""
    if request.method == "POST":
        notifications_mark_read(user=request.user)
        return redirect("accounts:notifications")
    context = {"notifications": notifications_for(user=request.user)}
    return render(request, "accounts/notifications.html", context)
