"""The apprenticeships app's models, one module per part of the programme (issue 5)."""

from carelead.apprenticeships.models.reference import (  # noqa: F401
    CARELEAD_CODE_PREFIX, KIND_PREFIX, Apprenticeship, ApprenticeshipStatus, EnglishMaths, FundingStatus, Ksb,
    KsbKind, Qualification, QualificationUnit, Standard, StandardVersion, Theme, WeeklyHours,
)
from carelead.apprenticeships.models.training_plan import (  # noqa: F401
    ACTIVITY_CHOICES, ResponsibleParty, TrainingPlanActivity, TrainingPlanVersion,
)
from carelead.apprenticeships.models.signatures import Party, Signature, SignatureMethod  # noqa: F401
from carelead.apprenticeships.models.changes import ChangeKind, ChangeStatus, ProgrammeChange  # noqa: F401
from carelead.apprenticeships.models.sessions import (  # noqa: F401
    AttendanceImport, AttendanceSource, CalendarFeed, ImportStatus, SessionAttendee, SessionKind, TrainingSession,
)
from carelead.apprenticeships.models.off_the_job import (  # noqa: F401
    OffTheJobEntry, OffTheJobRevision, OtjEvent, OtjSource, OtjStatus, evidence_path,
)
from carelead.apprenticeships.models.reviews import (  # noqa: F401
    ActionOwner, ProgressReview, ReviewAction, ReviewStatus,
)
from carelead.apprenticeships.models.portfolio import (  # noqa: F401
    COACH_KINDS, EvidenceEvent, EvidenceEventKind, EvidenceKind, EvidenceMapping, EvidenceStatus, MappingStage,
    PortfolioEvidence, ReflectionModel, portfolio_path,
)
from carelead.apprenticeships.models.gateway import GatewayReadiness, gateway_path  # noqa: F401
from carelead.apprenticeships.models.epa import (  # noqa: F401
    EpaAttempt, EpaAttemptKind, EpaGrade, EpaMethod,
)
from carelead.apprenticeships.models.iqa import (  # noqa: F401
    PlannedSample, SampleDecision, SampleVerdict, SamplingPlan, SamplingPolicy, SamplingRate, SamplingStage,
)
from carelead.apprenticeships.models.assessor_access import AssessorAccess  # noqa: F401
from carelead.apprenticeships.models.completion import ApprenticeshipCompletion, completion_path  # noqa: F401
