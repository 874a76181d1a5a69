from recap.cli import main

raise SystemExit(main())
