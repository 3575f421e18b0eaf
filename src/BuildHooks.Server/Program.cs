using BuildHooks.Server;

return await BuildHooksApp.MainAsync(args);
