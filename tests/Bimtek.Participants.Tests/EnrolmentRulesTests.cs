using Bimtek.Participants.Domain;
using Bimtek.ServiceDefaults.Errors;

namespace Bimtek.Participants.Tests;

/// <summary>One active enrolment per trainee and programme, withdrawn once (Domain/EnrolmentRules.cs), without a host.</summary>
public sealed class EnrolmentRulesTests
{
    [Fact]
    public void A_trainee_is_enrolled_once_at_a_time()
    {
        EnrolmentRules.EnsureNotEnrolled("t", activelyEnrolled: false);
        var refused = Assert.Throws<PreconditionException>(() => EnrolmentRules.EnsureNotEnrolled("t", activelyEnrolled: true));
        Assert.Equal(Reasons.AlreadyEnrolled, refused.Reason);
        Assert.Equal("people/t", refused.Violations.Single().Subject);
    }

    [Fact]
    public void Only_an_active_enrolment_is_withdrawn()
    {
        EnrolmentRules.EnsureActive("e", active: true);
        var refused = Assert.Throws<PreconditionException>(() => EnrolmentRules.EnsureActive("e", active: false));
        Assert.Equal(Reasons.EnrolmentWithdrawn, refused.Reason);
        Assert.Equal("enrolments/e", refused.Violations.Single().Subject);
    }
}
