import LoomCLI

await LoomCommand.start()
