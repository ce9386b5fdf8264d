from jichitai.cli import main

main()
