using Bimtek.ServiceDefaults.Offices;
using Bimtek.ServiceDefaults.Security;

namespace Bimtek.Identity.Domain;

/// <summary>A staff account an operator creates through an invitation (<c>IssueInvitation</c> with a role).</summary>
public sealed record NewStaffAccount(string Role, string Name, string Email, string Phone, string Office);

/// <summary>
/// Which operator may invite whom, as far as offices go. An operator account belongs to its office: only an operator
/// of that office, or of the province it belongs to, invites it (its creation is checked the same way). Accounts that
/// follow people from participants and distribution (instructors, health experts, recipients' users) carry the office
/// of their latest programme, but people are not an office's (a person may move to another office's programme), so any
/// operator may invite them, as before.
/// </summary>
public static class StaffOffices
{
    public static bool MayInvite(OfficeScope offices, Caller caller, string accountRole, string accountOffice) =>
        accountRole != Roles.Operator || offices.Covers(caller.Office, accountOffice);
}
