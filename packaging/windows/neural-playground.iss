; Windows installer (Inno Setup 6) for the PyInstaller bundle in dist\neural-playground.
; Cannot run on the Linux build machine; .github/workflows/installers.yml builds it on Windows:
;   python -m PyInstaller --noconfirm packaging\neural-playground.spec
;   iscc /DVersion=0.1.0 packaging\windows\neural-playground.iss
; -> dist\neural-playground-0.1.0-setup.exe, for every user of the machine (Program Files).
; Silent install, as an administrator:
;   neural-playground-0.1.0-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
; Silent removal:
;   "C:\Program Files\Neural Playground\unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART

#ifndef Version
  #define Version "0.0.0"
#endif

[Setup]
AppId={{6F1C2E0A-3B7D-4A59-9E14-8C5D2B7F4A31}
AppName=Neural Playground
AppVersion={#Version}
AppPublisher=Neural Playground developers
DefaultDirName={autopf}\Neural Playground
DefaultGroupName=Neural Playground
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=neural-playground-{#Version}-setup
SetupIconFile=..\..\assets\icons\neural-playground.ico
UninstallDisplayIcon={app}\neural-playground.exe
UninstallDisplayName=Neural Playground {#Version}
Compression=lzma2
SolidCompression=yes
ChangesAssociations=yes
WizardStyle=modern

[Tasks]
Name: desktopicon; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\neural-playground\*"; DestDir: "{app}"; Flags: recursesubdirs createallsubdirs ignoreversion

[Icons]
Name: "{autoprograms}\Neural Playground"; Filename: "{app}\neural-playground.exe"
Name: "{autodesktop}\Neural Playground"; Filename: "{app}\neural-playground.exe"; Tasks: desktopicon

[Registry]
; Project files (*.nplay, application/x-neural-playground) open in Neural Playground.
Root: HKA; Subkey: "Software\Classes\.nplay"; ValueType: string; ValueName: ""; ValueData: "NeuralPlayground.Project"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.nplay"; ValueType: string; ValueName: "Content Type"; ValueData: "application/x-neural-playground"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\NeuralPlayground.Project"; ValueType: string; ValueName: ""; ValueData: "Neural Playground project"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\NeuralPlayground.Project\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\neural-playground.exe,0"
Root: HKA; Subkey: "Software\Classes\NeuralPlayground.Project\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\neural-playground.exe"" ""%1"""

[Run]
Filename: "{app}\neural-playground.exe"; Description: "{cm:LaunchProgram,Neural Playground}"; Flags: nowait postinstall skipifsilent
