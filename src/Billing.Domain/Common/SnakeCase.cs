using System.Text;

namespace Billing.Domain.Common;

/// <summary>The codes of the domain's states as the API and the store spell them: <c>NeedsResponse</c> is <c>needs_response</c>.</summary>
public static class SnakeCase
{
    public static string Of(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var code = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                code.Append('_');
            }

            code.Append(char.ToLowerInvariant(name[i]));
        }

        return code.ToString();
    }

    /// <summary>The value of <typeparamref name="TEnum"/> whose code is <paramref name="code"/>, if any.</summary>
    public static TEnum? Parse<TEnum>(string? code)
        where TEnum : struct, Enum =>
        code is null ? null : Enum.GetValues<TEnum>().Cast<TEnum?>().FirstOrDefault(v => Of(v!.Value.ToString()) == code);
}
