import LoomServiceRuntime
import LoomTools

await ServiceMain.run(service: "tools", ToolsService.assemble)
