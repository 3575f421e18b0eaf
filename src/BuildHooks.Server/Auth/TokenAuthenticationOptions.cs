using Microsoft.AspNetCore.Authentication;

namespace BuildHooks.Server.Auth;

public sealed class TokenAuthenticationOptions : AuthenticationSchemeOptions;
