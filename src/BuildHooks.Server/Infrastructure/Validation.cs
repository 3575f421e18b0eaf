namespace BuildHooks.Server.Infrastructure;

/// <summary>Collects per-field messages and answers with one 400 validation problem listing them all.</summary>
public sealed class Validation
{
    private readonly Dictionary<string, List<string>> _errors = [];

    public bool IsValid => _errors.Count == 0;

    public Validation Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
        return this;
    }

    public Validation Check(bool ok, string field, string message) => ok ? this : Add(field, message);

    public Microsoft.AspNetCore.Http.HttpResults.ValidationProblem Problem() =>
        TypedResults.ValidationProblem(
            _errors.ToDictionary(e => e.Key, e => e.Value.ToArray()),
            title: "The request has invalid fields",
            detail: string.Join(" ", _errors.SelectMany(e => e.Value)));
}
