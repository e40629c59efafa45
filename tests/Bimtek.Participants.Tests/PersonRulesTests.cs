using Bimtek.Participants.Domain;
using Bimtek.ServiceDefaults.Errors;

namespace Bimtek.Participants.Tests;

/// <summary>What only a trainee has (Domain/PersonRules.cs), without a host.</summary>
public sealed class PersonRulesTests
{
    [Fact]
    public void Only_a_trainee_passes_and_the_refusal_carries_the_callers_words()
    {
        PersonRules.EnsureTrainee("p", isTrainee: true, "never said");
        var refused = Assert.Throws<PreconditionException>(() => PersonRules.EnsureTrainee("p", isTrainee: false, "Only trainees can be enrolled."));
        Assert.Equal(Reasons.NotATrainee, refused.Reason);
        Assert.Equal("Only trainees can be enrolled.", refused.Message);
    }

    [Fact]
    public void Staff_have_no_guardian_but_may_change_their_other_contact()
    {
        PersonRules.EnsureGuardianOnlyForTrainee("s", isTrainee: false, guardianName: "", guardianPhone: "");
        PersonRules.EnsureGuardianOnlyForTrainee("t", isTrainee: true, guardianName: "Ibu", guardianPhone: "+628123");
        Assert.Equal(Reasons.NotATrainee,
            Assert.Throws<PreconditionException>(() => PersonRules.EnsureGuardianOnlyForTrainee("s", isTrainee: false, "Ibu", "")).Reason);
        Assert.Equal(Reasons.NotATrainee,
            Assert.Throws<PreconditionException>(() => PersonRules.EnsureGuardianOnlyForTrainee("s", isTrainee: false, "", "+628123")).Reason);
    }
}
