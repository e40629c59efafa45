using Bimtek.Participants.Domain;
using Bimtek.ServiceDefaults.Errors;

namespace Bimtek.Participants.Tests;

/// <summary>Who staffs a programme (Domain/StaffRules.cs), without a host.</summary>
public sealed class StaffRulesTests
{
    [Theory]
    [InlineData(PersonType.Instructor, StaffPosition.Instructor, true)]
    [InlineData(PersonType.HealthExpert, StaffPosition.HealthExpert, true)]
    [InlineData(PersonType.Instructor, StaffPosition.HealthExpert, false)]
    [InlineData(PersonType.HealthExpert, StaffPosition.Instructor, false)]
    [InlineData(PersonType.Trainee, StaffPosition.Instructor, false)]
    public void A_role_takes_its_own_kind_of_person(PersonType kind, StaffPosition role, bool fits)
    {
        var error = Record.Exception(() => StaffRules.EnsureFits("p", kind, role));
        if (fits)
        {
            Assert.Null(error);
        }
        else
        {
            var refused = Assert.IsType<PreconditionException>(error);
            Assert.Equal(Reasons.StaffKindMismatch, refused.Reason);
            Assert.Equal($"A {kind} cannot be assigned as {role}.", refused.Message);
        }
    }

    [Fact]
    public void Only_the_assigned_leave_and_an_active_programme_keeps_an_instructor()
    {
        Assert.Equal(Reasons.StaffNotAssigned,
            Assert.Throws<PreconditionException>(() => StaffRules.EnsureMayUnassign("g", "p", ProgrammeState.Draft, null, 3)).Reason);
        Assert.Equal(Reasons.LastInstructor,
            Assert.Throws<PreconditionException>(() => StaffRules.EnsureMayUnassign("g", "p", ProgrammeState.Active, StaffPosition.Instructor, 1)).Reason);
        StaffRules.EnsureMayUnassign("g", "p", ProgrammeState.Active, StaffPosition.Instructor, 2);
        StaffRules.EnsureMayUnassign("g", "p", ProgrammeState.Draft, StaffPosition.Instructor, 1);
        StaffRules.EnsureMayUnassign("g", "p", ProgrammeState.Active, StaffPosition.HealthExpert, 1);
    }
}
