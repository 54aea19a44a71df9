"""The internal quality assurance API (issue 6; included by carelead/api/urls.py under /api/v1/), over
the same selectors and services as the pages. Every endpoint but the coach's feedback needs IQA_MANAGE
(the internal quality assurer), and reaches only their own training providers' records.

- GET/POST iqa/policies/: the policies (paginated); writing one ({name, default_percent, active,
  rates: [{kind, stage, percent}], provider: <id> when the IQA works for more than one provider}).
- GET/PUT iqa/policies/<id>/: one policy; replacing its name, default, rates and whether it is in use.
- POST iqa/policies/<id>/plans/: drawing a plan for {period_from, period_to, seed?}.
- GET iqa/plans/<id>/: the plan; GET iqa/plans/<id>/samples/: its samples (paginated; ?kind=&stage=
  &decided=true|false); POST iqa/plans/<id>/redraw/: drawing it again, signed samples kept.
- GET iqa/plans/<id>/compliance/: per coach x kind x stage, required against planned and signed, with
  "Compliant" / "Not compliant".
- POST iqa/samples/<evidence id>/decision/: signing {verdict: agree|disagree, feedback}.
- GET iqa/feedback/: the coach's page: decisions on the evidence they assessed.
Out of reach: 404. Bad input: 400 naming each field.
"""

from contextlib import contextmanager
from uuid import UUID

from django.urls import path, reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from carelead.apprenticeships import iqa_selectors, iqa_services
from carelead.apprenticeships.models import EvidenceKind, SampleVerdict, SamplingPolicy, SamplingStage
from carelead.core import audit
from carelead.core.actor import Actor
from carelead.core.api import service_errors, valid_body
from carelead.core.models import Action
from carelead.core.permissions import Perm

TAGS = ["internal quality assurance"]
NOT_FOUND = OpenApiResponse(description="No such record, or not one of your training provider's")
INVALID = OpenApiResponse(description="Bad input: a body naming each bad field, {field: [messages]}")
PROVIDER_MESSAGE = "Name the training provider: you are an internal quality assurer at more than one"


KIND_HELP = f"A kind of evidence: {', '.join(EvidenceKind.values)}"
STAGE_HELP = "interim (assessed before the gateway date) or summative (on or after it)"
UNKNOWN_RATE = "{kind} ({stage}) is not a kind of evidence and a stage: kinds are {kinds}; stages interim or summative"


class RateSerializer(serializers.Serializer):
    # Text, not choices: "kind" and "stage" name other enums in the schema; _rates checks the words.
    kind = serializers.CharField(help_text=KIND_HELP)
    stage = serializers.CharField(help_text=STAGE_HELP)
    percent = serializers.DecimalField(max_digits=5, decimal_places=2, help_text="From 0 to 100")


class PolicySerializer(serializers.Serializer):
    public_id = serializers.UUIDField()
    provider = serializers.UUIDField(source="provider.public_id")
    provider_name = serializers.CharField(source="provider.name")
    name = serializers.CharField()
    active = serializers.BooleanField()
    default_percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    rates = RateSerializer(many=True, source="rates.all")


class PolicyInputSerializer(serializers.Serializer):
    name = serializers.CharField(allow_blank=True, max_length=SamplingPolicy._meta.get_field("name").max_length)
    active = serializers.BooleanField(required=False, default=True)
    default_percent = serializers.DecimalField(max_digits=5, decimal_places=2,
                                               help_text="For kinds and stages without a rate; 0 to 100")
    rates = RateSerializer(many=True, required=False, default=list)
    provider = serializers.UUIDField(required=False, help_text="Needed only when you work for several providers")


class PlanSerializer(serializers.Serializer):
    public_id = serializers.UUIDField()
    policy = serializers.UUIDField(source="policy.public_id")
    period_from = serializers.DateField()
    period_to = serializers.DateField()
    seed = serializers.CharField()
    generated_at = serializers.DateTimeField()
    generated_by = serializers.CharField(source="generated_by.full_name")


class SampleSerializer(serializers.Serializer):
    evidence = serializers.UUIDField(source="evidence.public_id")
    title = serializers.CharField(source="evidence.title")
    apprentice = serializers.CharField(source="evidence.apprenticeship.apprentice.full_name")
    coach = serializers.CharField(source="coach.full_name")
    kind = serializers.CharField()
    stage = serializers.CharField()
    verdict = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    def get_verdict(self, sample) -> str | None:
        decision = getattr(sample, "decision", None)
        return decision.verdict if decision else None

    def get_url(self, sample) -> str:
        return reverse("apprenticeships:iqa-sample", args=[sample.evidence.public_id])


class DecisionSerializer(serializers.Serializer):
    public_id = serializers.UUIDField()
    evidence = serializers.UUIDField(source="evidence.public_id")
    evidence_title = serializers.CharField(source="evidence.title")
    verdict = serializers.CharField()
    feedback = serializers.CharField()
    signed_by = serializers.CharField(source="iqa.full_name")
    signed_at = serializers.DateTimeField()
    locks_evidence = serializers.BooleanField()


def _rates(rows) -> dict:
    rates = {(kind, stage): None for kind in EvidenceKind.values for stage in SamplingStage.values}
    for row in rows:
        if (row["kind"], row["stage"]) not in rates:
            raise exceptions.ValidationError({"rates": [UNKNOWN_RATE.format(
                kind=row["kind"], stage=row["stage"], kinds=", ".join(EvidenceKind.values))]})
        if rates[(row["kind"], row["stage"])] is not None:
            raise exceptions.ValidationError({"rates": [f"Two rates for {row['kind']} ({row['stage']})"]})
        rates[(row["kind"], row["stage"])] = row["percent"]
    return rates


@contextmanager
def policy_errors():
    """The service's errors as a 400, a rate's under "rates" as "<kind> (<stage>): <message>"."""
    try:
        with service_errors():
            yield
    except exceptions.ValidationError as error:
        body, rates = {}, []
        for field, field_messages in error.detail.items():
            if field.startswith("rate_"):
                kind, stage = field.removeprefix("rate_").rsplit("_", 1)
                rates += [f"{kind} ({stage}): {message}" for message in field_messages]
            else:
                body[field] = field_messages
        raise exceptions.ValidationError({**body, **({"rates": rates} if rates else {})}) from error


class PolicyListApi(GenericAPIView):
    """The policies of your training providers; writing one."""

    required_perm = Perm.IQA_MANAGE

    @extend_schema(tags=TAGS, summary="List sampling policies", responses={200: PolicySerializer(many=True)})
    def get(self, request):
        page = self.paginate_queryset(iqa_selectors.policies_for(request.user))
        audit.record_list(Actor.from_request(request), page, what="apprenticeships.SamplingPolicy")
        return self.get_paginated_response(PolicySerializer(page, many=True).data)

    @extend_schema(tags=TAGS, summary="Write a sampling policy", request=PolicyInputSerializer,
                   responses={201: PolicySerializer, 400: INVALID})
    def post(self, request):
        fields = valid_body(PolicyInputSerializer, request.data)
        providers = list(iqa_selectors.iqa_providers(request.user))
        wanted = fields.pop("provider", None)
        provider = next((org for org in providers if org.public_id == wanted), None) if wanted else (
            providers[0] if len(providers) == 1 else None)
        if provider is None:
            raise exceptions.ValidationError({"provider": [PROVIDER_MESSAGE]})
        with policy_errors():
            policy = iqa_services.create_policy(actor=Actor.from_request(request), provider=provider,
                                                rates=_rates(fields.pop("rates")), **fields)
        policy = iqa_selectors.policy_for(request.user, policy.public_id)
        return Response(PolicySerializer(policy).data, status=status.HTTP_201_CREATED)


class PolicyDetailApi(GenericAPIView):
    """One policy; replacing it."""

    required_perm = Perm.IQA_MANAGE

    @extend_schema(tags=TAGS, summary="Read a sampling policy", responses={200: PolicySerializer, 404: NOT_FOUND})
    def get(self, request, policy_id: UUID):
        policy = iqa_selectors.policy_for(request.user, policy_id)
        audit.record(Actor.from_request(request), Action.VIEW, policy)
        return Response(PolicySerializer(policy).data)

    @extend_schema(tags=TAGS, summary="Change a sampling policy", request=PolicyInputSerializer,
                   responses={200: PolicySerializer, 400: INVALID, 404: NOT_FOUND})
    def put(self, request, policy_id: UUID):
        policy = iqa_selectors.policy_for(request.user, policy_id)
        fields = valid_body(PolicyInputSerializer, request.data)
        fields.pop("provider", None)
        with policy_errors():
            iqa_services.edit_policy(actor=Actor.from_request(request), policy=policy,
                                     rates=_rates(fields.pop("rates")), **fields)
        return Response(PolicySerializer(iqa_selectors.policy_for(request.user, policy_id)).data)


class PlanNewApi(GenericAPIView):
    """Drawing a plan from a policy for a period."""

    required_perm = Perm.IQA_MANAGE

    class InputSerializer(serializers.Serializer):
        period_from = serializers.DateField()
        period_to = serializers.DateField()
        seed = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)

    @extend_schema(tags=TAGS, summary="Draw a sampling plan", request=InputSerializer,
                   responses={201: PlanSerializer, 400: INVALID, 404: NOT_FOUND})
    def post(self, request, policy_id: UUID):
        policy = iqa_selectors.policy_for(request.user, policy_id)
        fields = valid_body(self.InputSerializer, request.data)
        with service_errors():
            plan = iqa_services.generate_plan(actor=Actor.from_request(request), policy=policy, **fields)
        return Response(PlanSerializer(plan).data, status=status.HTTP_201_CREATED)


class PlanDetailApi(GenericAPIView):
    required_perm = Perm.IQA_MANAGE

    @extend_schema(tags=TAGS, summary="Read a sampling plan", responses={200: PlanSerializer, 404: NOT_FOUND})
    def get(self, request, plan_id: UUID):
        plan = iqa_selectors.plan_for(request.user, plan_id)
        audit.record(Actor.from_request(request), Action.VIEW, plan)
        return Response(PlanSerializer(plan).data)


class PlanSamplesApi(GenericAPIView):
    """A plan's samples by coach, kind and stage; filter by kind, stage and decided."""

    required_perm = Perm.IQA_MANAGE

    class FilterSerializer(serializers.Serializer):
        kind = serializers.CharField(required=False, default="", help_text=KIND_HELP)
        stage = serializers.CharField(required=False, default="", help_text=STAGE_HELP)
        decided = serializers.BooleanField(required=False, allow_null=True, default=None)

        def validate_kind(self, value: str) -> str:
            if value and value not in EvidenceKind.values:
                raise serializers.ValidationError(KIND_HELP)
            return value

        def validate_stage(self, value: str) -> str:
            if value and value not in SamplingStage.values:
                raise serializers.ValidationError(STAGE_HELP)
            return value

    @extend_schema(tags=TAGS, summary="List a sampling plan's samples", parameters=[FilterSerializer],
                   responses={200: SampleSerializer(many=True), 404: NOT_FOUND})
    def get(self, request, plan_id: UUID):
        plan = iqa_selectors.plan_for(request.user, plan_id)
        filters = valid_body(self.FilterSerializer, request.query_params, strict=False)
        page = self.paginate_queryset(iqa_selectors.samples_of(plan, **filters))
        if page:
            audit.record_list(Actor.from_request(request), [sample.evidence for sample in page],
                              what="apprenticeships.PortfolioEvidence", details={"plan": str(plan.public_id)})
        return self.get_paginated_response(SampleSerializer(page, many=True).data)


class PlanRedrawApi(GenericAPIView):
    required_perm = Perm.IQA_MANAGE

    class InputSerializer(serializers.Serializer):
        seed = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)

    @extend_schema(tags=TAGS, summary="Draw a sampling plan again (signed samples kept)", request=InputSerializer,
                   responses={200: PlanSerializer, 404: NOT_FOUND})
    def post(self, request, plan_id: UUID):
        plan = iqa_selectors.plan_for(request.user, plan_id)
        fields = valid_body(self.InputSerializer, request.data)
        with service_errors():
            plan = iqa_services.regenerate_plan(actor=Actor.from_request(request), plan=plan, **fields)
        return Response(PlanSerializer(plan).data)


class PlanComplianceApi(GenericAPIView):
    required_perm = Perm.IQA_MANAGE

    class OutputSerializer(serializers.Serializer):
        coach = serializers.CharField()
        kind = serializers.CharField()
        stage = serializers.CharField()
        assessed = serializers.IntegerField()
        required = serializers.IntegerField()
        planned = serializers.IntegerField()
        signed = serializers.IntegerField()
        result = serializers.CharField(help_text='"Compliant" or "Not compliant": planned against required')
        signed_result = serializers.CharField(help_text="The same for the signed samples so far")

    @extend_schema(tags=TAGS, summary="A sampling plan's compliance with its policy",
                   responses={200: OutputSerializer(many=True), 404: NOT_FOUND})
    def get(self, request, plan_id: UUID):
        plan = iqa_selectors.plan_for(request.user, plan_id)
        audit.record(Actor.from_request(request), Action.VIEW, plan, details={"page": "compliance"})
        return Response(self.OutputSerializer(iqa_selectors.compliance_report(plan), many=True).data)


class SampleDecisionApi(GenericAPIView):
    """Signing a decision on a sampled item: agree, or disagree with feedback (then it is locked)."""

    required_perm = Perm.IQA_MANAGE

    class InputSerializer(serializers.Serializer):
        # Text, not a choice: the service answers 400 {"verdict": [...]} in its own words.
        verdict = serializers.CharField(help_text=f'One of {", ".join(SampleVerdict.values)}')
        feedback = serializers.CharField(required=False, allow_blank=True, default="",
                                         help_text="Feedback to the coach; required to disagree")

    @extend_schema(tags=TAGS, summary="Sign a decision on a sampled item", request=InputSerializer,
                   responses={201: DecisionSerializer, 400: INVALID, 404: NOT_FOUND})
    def post(self, request, evidence_id: UUID):
        evidence = iqa_selectors.sampled_item_for(request.user, evidence_id)
        fields = valid_body(self.InputSerializer, request.data)
        with service_errors():
            decision = iqa_services.record_decision(actor=Actor.from_request(request), evidence=evidence, **fields)
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


class CoachFeedbackApi(GenericAPIView):
    """The coach's: IQA decisions on the evidence they assessed, latest first."""

    required_perm = Perm.APPRENTICESHIP_MANAGE

    @extend_schema(tags=TAGS, summary="IQA decisions on your assessments (the coach)",
                   responses={200: DecisionSerializer(many=True)})
    def get(self, request):
        page = self.paginate_queryset(iqa_selectors.feedback_for_coach(request.user))
        if page:
            audit.record_list(Actor.from_request(request), page, what="apprenticeships.SampleDecision")
        return self.get_paginated_response(DecisionSerializer(page, many=True).data)


urlpatterns = [
    path("iqa/policies/", PolicyListApi.as_view(), name="api-iqa-policies"),
    path("iqa/policies/<uuid:policy_id>/", PolicyDetailApi.as_view(), name="api-iqa-policy"),
    path("iqa/policies/<uuid:policy_id>/plans/", PlanNewApi.as_view(), name="api-iqa-plan-new"),
    path("iqa/plans/<uuid:plan_id>/", PlanDetailApi.as_view(), name="api-iqa-plan"),
    path("iqa/plans/<uuid:plan_id>/samples/", PlanSamplesApi.as_view(), name="api-iqa-plan-samples"),
    path("iqa/plans/<uuid:plan_id>/redraw/", PlanRedrawApi.as_view(), name="api-iqa-plan-redraw"),
    path("iqa/plans/<uuid:plan_id>/compliance/", PlanComplianceApi.as_view(), name="api-iqa-plan-compliance"),
    path("iqa/samples/<uuid:evidence_id>/decision/", SampleDecisionApi.as_view(), name="api-iqa-decision"),
    path("iqa/feedback/", CoachFeedbackApi.as_view(), name="api-iqa-feedback"),
]
