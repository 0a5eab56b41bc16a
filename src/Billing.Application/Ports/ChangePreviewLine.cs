using Billing.Application.Common;
using Billing.Domain.Plans;

namespace Billing.Application.Ports;

public sealed record ChangePreviewLine(string Description, long Amount, bool Proration);
