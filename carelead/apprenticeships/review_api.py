"""The progress reviews API (issue 5, §5.1), over the same selectors and services as the pages:
one apprenticeship's reviews with when the next is due, the coach starting the next, reading and
changing one review (naming the version read: a stale one is a 409), and signing it.

An apprenticeship or review out of reach is a 404; a person who is not the party who may do
something is a 403; bad input is a 400 naming each field.
"""

import json
from uuid import UUID

from django.urls import path, reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import renderers, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from carelead.apprenticeships import review_pdf, review_selectors, review_services, selectors
from carelead.apprenticeships.models import (
    ActionOwner, Party, ProgressReview, ReviewAction, Signature, SignatureMethod,
)
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.api import service_errors, valid_body
from carelead.core.models import Action
from carelead.core.permissions import Perm

TAGS = ["progress reviews"]
INVALID = OpenApiResponse(description="Bad input: a body naming each bad field, {field: [messages]}")
NOT_FOUND = OpenApiResponse(description="No such apprenticeship or review, or not one you may see")
WRONG_PARTY = OpenApiResponse(description="You are not the party who may do this on this apprenticeship")
STALE = OpenApiResponse(description="Someone else changed the review since the version you read")


class ReviewActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewAction
        fields = ["id", "description", "measure", "owner", "due_on", "completed_on"]


class ReviewSignatureSerializer(serializers.ModelSerializer):
    signed_by = serializers.CharField(source="signed_by.full_name", read_only=True,
                                      help_text="Who signed online, or who recorded a signature obtained offline")

    class Meta:
        model = Signature
        fields = ["party", "method", "signed_by", "signed_at", "signatory_name", "obtained_on", "obtained_how"]


class ReviewSerializer(serializers.ModelSerializer):
    apprenticeship = serializers.UUIDField(source="apprenticeship.public_id", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    prefill = serializers.JSONField(read_only=True, help_text=(
        "What the review opened with, kept as it was: window, OTJ planned/actual/slippage (hours as strings), "
        "sessions attended, KSBs with new evidence, the last review's actions (with done)"))
    actions = ReviewActionSerializer(many=True, read_only=True)
    signatures = ReviewSignatureSerializer(many=True, read_only=True)

    class Meta:
        model = ProgressReview
        fields = ["public_id", "apprenticeship", "number", "version", "due_on", "held_on", "status", "status_label",
                  "prefill", "progress", "employer_comments", "wellbeing", "safeguarding_concern",
                  "safeguarding_notes", "changes_of_circumstance", "actions", "signatures", "created_at",
                  "updated_at"]


class NextReviewSerializer(serializers.Serializer):
    due_on = serializers.DateField(help_text="By the §5.1 rule, from the last signed review or the start date")
    state = serializers.CharField(help_text="in_date; due (within 14 days); overdue (from the day after)")
    last_held_on = serializers.DateField(allow_null=True)


class ReviewActionInputSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=2000, help_text="What will be done")
    measure = serializers.CharField(max_length=2000, help_text="How we will know it is done")
    owner = serializers.ChoiceField(choices=ActionOwner.choices)
    due_on = serializers.DateField(help_text="By when: after the date the review was held")


def _detail(review) -> dict:
    return ReviewSerializer(review).data


class ReviewListApi(GenericAPIView):
    """One apprenticeship's progress reviews, latest first, with when the next is due; the coach starts the next."""

    required_perm = Perm.OWN_ACCOUNT  # the apprentice reads their own by relationship, with no role permission

    class OutputSerializer(serializers.Serializer):
        next_review = NextReviewSerializer()
        results = ReviewSerializer(many=True, help_text="Every review (one at most every three months: not paged)")

    @extend_schema(tags=TAGS, summary="List an apprenticeship's progress reviews and when the next is due",
                   responses={200: OutputSerializer, 404: NOT_FOUND})
    def get(self, request, public_id: UUID):
        apprenticeship = selectors.apprenticeship_for(request.user, public_id)
        reviews = review_selectors.reviews_of(apprenticeship)
        for review in reviews:
            review.apprenticeship = apprenticeship
        held = [row.held_on for row in reviews if row.status == "signed" and row.held_on]
        schedule = review_selectors.schedule(start=apprenticeship.start_date, last_held_on=max(held, default=None),
                                             today=timezone.localdate())
        audit.record(Actor.from_request(request), Action.VIEW, apprenticeship, details={
            "tab": "reviews", "reviews": [str(review.public_id) for review in reviews]})
        return Response(self.OutputSerializer({"next_review": schedule, "results": reviews}).data)

    @extend_schema(tags=TAGS, summary="Start the next progress review, pre-filled (the skills coach)", request=None,
                   responses={201: ReviewSerializer, 400: INVALID, 403: WRONG_PARTY, 404: NOT_FOUND})
    def post(self, request, public_id: UUID):
        apprenticeship = selectors.apprenticeship_for(request.user, public_id)
        with service_errors():
            review = review_services.start_review(actor=Actor.from_request(request), apprenticeship=apprenticeship)
        review = review_selectors.review_for(apprenticeship, review.public_id)
        return Response(_detail(review), status=status.HTTP_201_CREATED,
                        headers={"Location": reverse("api:api-review-detail", args=[review.public_id])})


class ReviewDetailApi(GenericAPIView):
    """One progress review; the coach changes it until the first signature, naming the version read."""

    required_perm = Perm.OWN_ACCOUNT

    class InputSerializer(serializers.Serializer):
        version = serializers.IntegerField(min_value=1, help_text="The version you read; 409 if it has moved on")
        held_on = serializers.DateField(required=False, allow_null=True)
        progress = serializers.CharField(required=False, allow_blank=True, max_length=10000)
        employer_comments = serializers.CharField(required=False, allow_blank=True, max_length=10000)
        wellbeing = serializers.CharField(required=False, allow_blank=True, max_length=10000)
        safeguarding_concern = serializers.BooleanField(required=False)
        safeguarding_notes = serializers.CharField(required=False, allow_blank=True, max_length=10000,
                                                   help_text="Required when safeguarding_concern is true")
        changes_of_circumstance = serializers.CharField(required=False, allow_blank=True, max_length=10000)
        actions = ReviewActionInputSerializer(many=True, required=False, max_length=30,
                                              help_text="The SMART actions, replacing all of them")
        done_actions = serializers.ListField(child=serializers.IntegerField(), required=False, help_text=(
            "Ids of the last review's actions (prefill.last_actions) that are done; the rest are not done"))

    @extend_schema(tags=TAGS, summary="Read one progress review", responses={200: ReviewSerializer, 404: NOT_FOUND})
    def get(self, request, review_id: UUID):
        review = review_selectors.review_for_user(request.user, review_id)
        audit.record(Actor.from_request(request), Action.VIEW, review, details={"number": review.number})
        return Response(_detail(review))

    @extend_schema(tags=TAGS, summary="Change a progress review before it is signed (the skills coach)",
                   request=InputSerializer,
                   responses={200: ReviewSerializer, 400: INVALID, 403: WRONG_PARTY, 404: NOT_FOUND, 409: STALE})
    def patch(self, request, review_id: UUID):
        review = review_selectors.review_for_user(request.user, review_id)
        fields = valid_body(self.InputSerializer, request.data)
        if "actions" in fields:
            actions = [dict(row) for row in fields["actions"]]
        else:
            actions = [{"description": a.description, "measure": a.measure, "owner": a.owner, "due_on": a.due_on}
                       for a in review.actions.all()]
        done = fields.get("done_actions", [row["id"] for row in review.prefill.get("last_actions", [])
                                           if row.get("done")])
        current = {name: fields.get(name, getattr(review, name)) for name in (
            "held_on", "progress", "employer_comments", "wellbeing", "safeguarding_concern", "safeguarding_notes",
            "changes_of_circumstance")}
        with service_errors():
            review_services.save_review(actor=Actor.from_request(request), review=review,
                                        seen_version=fields["version"], actions=actions, done_action_ids=done,
                                        **current)
        return Response(_detail(review_selectors.review_for_user(request.user, review_id)))


class ReviewSignatureApi(GenericAPIView):
    """Sign a progress review: online as yourself (coach, then apprentice, then employer), or, as the
    coach, record the apprentice's or the employer's signature obtained offline (who, when, how)."""

    required_perm = Perm.OWN_ACCOUNT

    class InputSerializer(serializers.Serializer):
        method = serializers.ChoiceField(choices=SignatureMethod.choices, default=SignatureMethod.ONLINE)
        party = serializers.ChoiceField(choices=Party.choices, required=False, help_text=(
            "Online: optional, the party whose turn it is that you hold. Offline: apprentice or employer"))
        signatory_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
        obtained_on = serializers.DateField(required=False, allow_null=True)
        obtained_how = serializers.CharField(required=False, allow_blank=True, max_length=200)

    @extend_schema(tags=TAGS, summary="Sign a progress review, or record a signature obtained offline",
                   request=InputSerializer,
                   responses={201: ReviewSignatureSerializer, 400: INVALID, 403: WRONG_PARTY, 404: NOT_FOUND})
    def post(self, request, review_id: UUID):
        review = review_selectors.review_for_user(request.user, review_id)
        fields = valid_body(self.InputSerializer, request.data)
        actor = Actor.from_request(request)
        with service_errors():
            if fields["method"] == SignatureMethod.OFFLINE:
                signature = review_services.record_offline_signature(
                    actor=actor, review=review, party=fields.get("party", ""),
                    signatory_name=fields.get("signatory_name", ""), obtained_on=fields.get("obtained_on"),
                    obtained_how=fields.get("obtained_how", ""))
            else:
                signature = review_services.sign_review(actor=actor, review=review, party=fields.get("party"))
        return Response(ReviewSignatureSerializer(signature).data, status=status.HTTP_201_CREATED)


class PdfRenderer(renderers.BaseRenderer):
    """Lets a client ask for application/pdf; the view answers with the document itself."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # Only an error reaches a renderer (the view answers with the PDF itself): show it as JSON text.
        return data if isinstance(data, bytes) else json.dumps(data).encode()


class ReviewPdfApi(GenericAPIView):
    """The review printed: an A4 PDF, as on the page; anyone who may see the apprenticeship; audited as an export."""

    required_perm = Perm.OWN_ACCOUNT
    renderer_classes = [renderers.JSONRenderer, PdfRenderer]  # errors in JSON; Accept: application/pdf allowed

    @extend_schema(tags=TAGS, summary="Print a progress review (PDF)",
                   responses={(200, "application/pdf"): OpenApiTypes.BINARY, 404: NOT_FOUND})
    def get(self, request, review_id: UUID):
        review = review_selectors.review_for_user(request.user, review_id)
        return review_pdf.pdf_response(request, review.apprenticeship, review)


urlpatterns = [
    path("apprenticeships/<uuid:public_id>/reviews/", ReviewListApi.as_view(), name="api-reviews"),
    path("reviews/<uuid:review_id>/", ReviewDetailApi.as_view(), name="api-review-detail"),
    path("reviews/<uuid:review_id>/signatures/", ReviewSignatureApi.as_view(), name="api-review-signatures"),
    path("reviews/<uuid:review_id>/pdf/", ReviewPdfApi.as_view(), name="api-review-pdf"),
]
