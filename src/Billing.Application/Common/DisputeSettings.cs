namespace Billing.Application.Common;

/// <summary>What a dispute (chargeback) does (section <c>Billing:Disputes</c>).</summary>
public sealed class DisputeSettings
{
    /// <summary>Drop access to the trial tier while a dispute is open or was lost; a won one restores it.</summary>
    public bool SuspendAccess { get; set; }

    /// <summary>The address told of each new dispute (evidence is due within days); none when unset.</summary>
    public string? NotifyEmail { get; set; }
}
