from storeops.cli.main import main

main()
