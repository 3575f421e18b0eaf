namespace BuildHooks.Server.Web.Projects;

/// <summary>What the shared hook fields partial needs: the values and an id prefix that keeps labels unique.</summary>
public sealed record HookFields(HookForm Form, string Prefix);
