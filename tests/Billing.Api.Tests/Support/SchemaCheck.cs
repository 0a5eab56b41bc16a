using System.Text.Json.Nodes;

namespace Billing.Api.Tests.Support;

/// <summary>
/// Checks a JSON value against an OpenAPI 3.0 schema of a document: types (with <c>nullable</c>), enums, required
/// properties, no undeclared property where <c>additionalProperties</c> is false, items, and <c>$ref</c>s. Enough of
/// JSON Schema to say an example (or an answer) is what the document promises.
/// </summary>
public sealed class SchemaCheck(JsonObject document)
{
    public IReadOnlyList<string> Check(JsonNode? value, JsonNode schema, string path = "$")
    {
        var problems = new List<string>();
        Walk(value, schema, path, problems, 0);
        return problems;
    }

    public JsonObject Resolve(JsonNode schema)
    {
        var current = schema.AsObject();
        while (current["$ref"]?.GetValue<string>() is { } reference)
        {
            current = reference.Split('/').Skip(1).Aggregate((JsonNode)document, (node, part) => node[part]!).AsObject();
        }

        return current;
    }

    private void Walk(JsonNode? value, JsonNode schemaNode, string path, List<string> problems, int depth)
    {
        if (depth > 20)
        {
            return;
        }

        var schema = Resolve(schemaNode);
        if (value is null)
        {
            if (schema["nullable"]?.GetValue<bool>() != true && schema.Count > 0 && schema["type"] is not null)
            {
                problems.Add($"{path} is null but not nullable");
            }

            return;
        }

        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
        {
            problems.Add($"{path} = {value.ToJsonString()} is not one of the enum");
        }

        switch (schema["type"]?.GetValue<string>())
        {
            case "object":
                if (value is not JsonObject obj)
                {
                    problems.Add($"{path} is not an object");
                    return;
                }

                var properties = schema["properties"] as JsonObject ?? [];
                foreach (var required in schema["required"] as JsonArray ?? [])
                {
                    if (!obj.ContainsKey(required!.GetValue<string>()))
                    {
                        problems.Add($"{path}.{required} is required but missing");
                    }
                }

                foreach (var (name, child) in obj)
                {
                    if (properties[name] is { } property)
                    {
                        Walk(child, property, $"{path}.{name}", problems, depth + 1);
                    }
                    else if (schema["additionalProperties"] is JsonObject additional && additional.Count > 0)
                    {
                        Walk(child, additional, $"{path}.{name}", problems, depth + 1);
                    }
                    else if (schema["additionalProperties"]?.GetValueKind() == System.Text.Json.JsonValueKind.False)
                    {
                        problems.Add($"{path}.{name} is not declared");
                    }
                }

                break;
            case "array":
                if (value is not JsonArray array)
                {
                    problems.Add($"{path} is not an array");
                    return;
                }

                for (var i = 0; i < array.Count; i++)
                {
                    Walk(array[i], schema["items"]!, $"{path}[{i}]", problems, depth + 1);
                }

                break;
            case "string":
                if (value.GetValueKind() != System.Text.Json.JsonValueKind.String)
                {
                    problems.Add($"{path} is not a string");
                }

                break;
            case "integer":
                if (value.GetValueKind() != System.Text.Json.JsonValueKind.Number || !long.TryParse(value.ToJsonString(), out _))
                {
                    problems.Add($"{path} is not an integer");
                }

                break;
            case "number":
                if (value.GetValueKind() != System.Text.Json.JsonValueKind.Number)
                {
                    problems.Add($"{path} is not a number");
                }

                break;
            case "boolean":
                if (value.GetValueKind() is not (System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False))
                {
                    problems.Add($"{path} is not a boolean");
                }

                break;
        }
    }
}
