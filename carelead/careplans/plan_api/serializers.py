"""The care plan API's bodies: what it answers (the plan, its sections, reviews, versions, changes)
and what it takes (the plan's details, a section with its actions and risks, a review)."""

from rest_framework import serializers

from carelead.assessments.models import NeedsArea
from carelead.careplans import plan_services
from carelead.careplans.models import CarePlan, CarePlanReview, CarePlanSection, CarePlanVersion, SupportAction


class ChangeSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="added, removed, changed, linked or unlinked")
    where = serializers.CharField(help_text='"The plan", or \'Section "Skin"\'')
    what = serializers.CharField(help_text="A field's label, or Section, Support action, Risk")
    before = serializers.CharField()
    after = serializers.CharField()
    sentence = serializers.CharField(help_text="The change in plain English")


class StaleSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current_version = serializers.IntegerField(help_text="Send this as If-Match to save over the changes below")
    changes = ChangeSerializer(many=True, help_text="What changed since the version you sent")


class ActionSerializer(serializers.ModelSerializer):
    class Meta:
        model, fields = SupportAction, ["public_id", *plan_services.ACTION_FIELDS]
        read_only_fields = ["public_id"]


class SectionOutputSerializer(serializers.ModelSerializer):
    actions = ActionSerializer(many=True, read_only=True)
    risks = serializers.SlugRelatedField(slug_field="public_id", many=True, read_only=True,
                                         help_text="Ids of the linked risk assessments (/risks/<id>/)")
    review_state = serializers.SerializerMethodField(help_text="in_date, due (within 7 days) or overdue")

    class Meta:
        model = CarePlanSection
        fields = ["public_id", "position", *plan_services.SECTION_FIELDS, "review_state", "actions", "risks"]

    def get_review_state(self, section: CarePlanSection) -> str:
        return section.review_state


class PlanOutputSerializer(serializers.ModelSerializer):
    sections = SectionOutputSerializer(source="loaded_sections", many=True, read_only=True)
    review_state = serializers.SerializerMethodField(help_text="in_date, due (within 7 days) or overdue")
    approved = serializers.BooleanField(source="is_approved", read_only=True,
                                        help_text="True when the current version is the one approved")
    approved_by = serializers.CharField(source="approved_by.full_name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = CarePlan
        fields = ["public_id", "version", "status", *plan_services.PLAN_FIELDS, "review_state", "last_reviewed_on",
                  "approved", "approved_version", "approved_by", "approved_at", "created_at", "updated_at", "sections"]

    def get_review_state(self, plan: CarePlan) -> str:
        return plan.review_state


class PlanBuildInputSerializer(serializers.Serializer):
    assessment = serializers.UUIDField(help_text="The public_id of the person's completed needs assessment")
    areas = serializers.ListField(
        child=serializers.ChoiceField(choices=NeedsArea.choices), required=False,
        help_text="The areas of the assessment to plan for, a section each; by default every area with needs recorded",
    )


class PlanInputSerializer(serializers.ModelSerializer):
    class Meta:
        model, fields = CarePlan, plan_services.PLAN_FIELDS
        extra_kwargs = {name: {"required": False} for name in plan_services.PLAN_FIELDS}


class ActionInputSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(required=False, help_text="An existing action's public_id, to keep and change it")

    class Meta:
        model, fields = SupportAction, ["id", *plan_services.ACTION_FIELDS]
        extra_kwargs = {"how": {"required": False}}


class SectionInputSerializer(serializers.ModelSerializer):
    actions = ActionInputSerializer(many=True, required=False,
                                    help_text="Every action wanted, in order; existing ones not listed are removed")
    risks = serializers.ListField(child=serializers.UUIDField(), required=False,
                                  help_text="Ids of the person's current risk assessments to link (replaces the links)")

    class Meta:
        model = CarePlanSection
        fields = [*plan_services.SECTION_FIELDS, "actions", "risks"]
        extra_kwargs = {"review_on": {"required": False}, "strengths": {"required": False}}


class SectionPatchSerializer(SectionInputSerializer):
    class Meta(SectionInputSerializer.Meta):
        extra_kwargs = {name: {"required": False} for name in SectionInputSerializer.Meta.fields}


class ReviewInputSerializer(serializers.ModelSerializer):
    section = serializers.UUIDField(required=False, allow_null=True,
                                    help_text="A section's public_id for a review of that section; empty for the whole plan")

    class Meta:
        model = CarePlanReview
        fields = [*plan_services.REVIEW_FIELDS, "next_review_on", "section"]
        extra_kwargs = {"reviewed_on": {"required": False}, "next_review_on": {"required": False},
                        "person_views": {"required": False}, "changes_made": {"required": False}}


class ReviewOutputSerializer(serializers.ModelSerializer):
    reviewed_by = serializers.CharField(source="reviewed_by.full_name", read_only=True)
    section = serializers.SlugRelatedField(slug_field="public_id", read_only=True, allow_null=True,
                                           help_text="Null for a review of the whole plan")

    class Meta:
        model = CarePlanReview
        fields = ["public_id", "section", "section_title", *plan_services.REVIEW_FIELDS, "next_review_on",
                  "plan_version", "reviewed_by"]


class VersionOutputSerializer(serializers.ModelSerializer):
    saved_by = serializers.CharField(source="saved_by.full_name", read_only=True)

    class Meta:
        model, fields = CarePlanVersion, ["version", "saved_at", "saved_by", "change"]


MAX_VERSION = 2_147_483_647


class CompareQuerySerializer(serializers.Serializer):
    """?from=&to=: "from" is a Python keyword, so the fields are named here."""

    def get_fields(self):
        return {name: serializers.IntegerField(min_value=1, max_value=MAX_VERSION) for name in ("from", "to")}


class CompareOutputSerializer(serializers.Serializer):
    def get_fields(self):
        return {"from": serializers.IntegerField(), "to": serializers.IntegerField(),
                "changes": ChangeSerializer(many=True)}
