namespace Billing.Application.Common.Results;

/// <summary>Marks results so pipeline behaviours can tell a failed outcome without knowing its value type.</summary>
public interface IResultCarrier
{
    bool Succeeded { get; }
}
