using System.Reflection;
using Refit;

namespace Billing.Infrastructure.Http;

/// <summary>
/// Query values as the counterparts' APIs spell them: a boolean is <c>true</c> or <c>false</c>, not .NET's
/// <c>True</c>; everything else as Refit formats it.
/// </summary>
internal sealed class QueryValueFormatter : DefaultUrlParameterFormatter
{
    public override string? Format(object? parameterValue, ICustomAttributeProvider attributeProvider, Type type) =>
        parameterValue is bool flag ? (flag ? "true" : "false") : base.Format(parameterValue, attributeProvider, type);
}
