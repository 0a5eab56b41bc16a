using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Mediator;

namespace Billing.Application.Identity.DeclareAttributes;

/// <summary>
/// <c>keycloak setup</c>: declares the billing attributes in the realm's user profile (Keycloak 24+ drops
/// undeclared ones silently). Idempotent: a second run changes nothing. A realm without a declarative user profile
/// (Keycloak before 24) keeps any attribute: there is nothing to declare.
/// </summary>
public sealed record DeclareIdentityAttributes(bool DryRun) : ICommand<Result<IdentityAttributesReport>>;

public sealed record IdentityAttributesReport(bool DryRun, IReadOnlyList<string> Declared, bool RealmKeepsAnyAttribute = false)
{
    public bool UpToDate => Declared.Count == 0;
}

public sealed class DeclareIdentityAttributesHandler(IIdentityDirectory directory) : ICommandHandler<DeclareIdentityAttributes, Result<IdentityAttributesReport>>
{
    public async ValueTask<Result<IdentityAttributesReport>> Handle(DeclareIdentityAttributes command, CancellationToken cancellationToken)
    {
        var declared = await directory.DeclareAttributesAsync(command.DryRun, cancellationToken);
        return declared.Map(d => new IdentityAttributesReport(command.DryRun, d.Declared, d.RealmKeepsAnyAttribute));
    }
}
