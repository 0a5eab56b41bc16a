using Billing.Domain.Plans;

namespace Billing.Application.Common.Ports;

public sealed record ChangePreviewLine(string Description, long Amount, bool Proration);
